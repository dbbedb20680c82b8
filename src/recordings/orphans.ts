import { readdir, readFile } from 'node:fs/promises';

/**
 * Recorder ffmpeg processes left behind by a server that was killed outright (SIGKILL, a crash): they would sit
 * on their UDP ports forever, waiting for media that no longer comes. Found by their command line (an SDP input
 * inside the recordings folder) and asked to finish their segment (SIGINT). Linux only; elsewhere it finds none.
 */
export async function reapOrphanRecorders(recordingsDir: string, exceptPids: ReadonlySet<number> = new Set()): Promise<number[]> {
  const reaped: number[] = [];
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).map(Number);
  for (const pid of pids) {
    if (pid === process.pid || exceptPids.has(pid)) continue;
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!args[0]?.endsWith('ffmpeg')) continue;
    const input = args[args.indexOf('-i') + 1] ?? '';
    if (!input.startsWith(`${recordingsDir}/`) || !input.endsWith('/input.sdp')) continue;
    try {
      process.kill(pid, 'SIGINT');
      reaped.push(pid);
    } catch {
      // gone already, or not ours to signal
    }
  }
  return reaped;
}
