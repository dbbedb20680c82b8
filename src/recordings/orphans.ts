import { readdir, readFile } from 'node:fs/promises';

/** The environment variable that tells which node started a recorder's ffmpeg. */
export const RECORDER_NODE_ENV = 'TONGKE_RECORDER_NODE';

/**
 * Recorder ffmpeg processes left behind by this node's server when it was killed outright (SIGKILL, a crash): they
 * would sit on their UDP ports forever, waiting for media that no longer comes. Found by their command line (an SDP
 * input inside the recordings folder) and their node (RECORDER_NODE_ENV in their environment, `nodeId`), and asked
 * to finish their segment (SIGINT). Another node's recorders are left alone, even in a shared recordings folder;
 * one started before recorders were tagged counts as this node's. Linux only; elsewhere it finds none.
 */
export async function reapOrphanRecorders(recordingsDir: string, nodeId: string, exceptPids: ReadonlySet<number> = new Set()): Promise<number[]> {
  const reaped: number[] = [];
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).map(Number);
  for (const pid of pids) {
    if (pid === process.pid || exceptPids.has(pid)) continue;
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!args[0]?.endsWith('ffmpeg')) continue;
    const input = args[args.indexOf('-i') + 1] ?? '';
    if (!input.startsWith(`${recordingsDir}/`) || !input.endsWith('/input.sdp')) continue;
    const env = (await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')).split('\0');
    const node = env.find((e) => e.startsWith(`${RECORDER_NODE_ENV}=`))?.slice(RECORDER_NODE_ENV.length + 1);
    if (node !== undefined && node !== nodeId) continue;
    try {
      process.kill(pid, 'SIGINT');
      reaped.push(pid);
    } catch {
      // gone already, or not ours to signal
    }
  }
  return reaped;
}
