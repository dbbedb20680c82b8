// Fan-out on several nodes (#13): one class whose classrooms are spread over two Tongke nodes, against the same
// classrooms on one node. Each node is a process of its own with one mediasoup worker (bench/fanout-node.mjs): on
// "one", that node takes the teacher's plain RTP (VP8 ~1 Mbps + Opus, as bench/fanout.mjs) and serves all N
// classrooms; on "two", the home takes the teacher and serves half, and pipes her media (PipeLink, mediasoup
// PipeTransports over UDP, as between real nodes) to an edge node that serves the other half. The receivers run in
// another process. Prints loss, delay and the nodes' worker CPU at each N, side by side, and the most classrooms
// each setup carried at ≤ 0.5 % loss.
// The receivers are the ceiling of a 2-core machine long before the nodes are (at 1 100 classrooms they take most
// of a core parsing 190 000 packets a second). BENCH_SAMPLE=k measures every k-th classroom and sends the others'
// media to a port whose packets nftables drops as they leave (the nodes still forward every stream, the kernel
// discards them): the node's work is whole, the receivers' a k-th. Needs root and nft.
//   npm run bench:fanout-nodes           (BENCH_N=300,500,700,900 BENCH_REPS=2 BENCH_SECONDS=6 BENCH_SAMPLE=1 BENCH_SETUPS=1,2)
import { execFileSync, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { startReceivers, startSender } from './rtp.mjs';

const NS = (process.env.BENCH_N ?? '300,500,700,900').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const LOSS_LIMIT = 0.5;
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 1);
/** Which setups run (1 and 2 nodes by default; one alone to probe its limit without waiting for the other's). */
const SETUPS = (process.env.BENCH_SETUPS ?? '1,2').split(',').map(Number);
/** Where the unmeasured classrooms' media goes: the discard port, dropped by nftables on the way out. */
const SINK_PORT = 9;
const NFT_TABLE = 'tongke_bench_sink';
if (SAMPLE > 1) {
  execFileSync('nft', ['add', 'table', 'inet', NFT_TABLE]);
  execFileSync('nft', ['add', 'chain', 'inet', NFT_TABLE, 'out', '{ type filter hook output priority 0 ; }']);
  execFileSync('nft', ['add', 'rule', 'inet', NFT_TABLE, 'out', 'udp', 'dport', String(SINK_PORT), 'drop']);
  process.on('exit', () => execFileSync('nft', ['delete', 'table', 'inet', NFT_TABLE]));
}

function child(file) {
  const proc = fork(new URL(file, import.meta.url));
  let next = 0;
  const waiting = new Map();
  proc.on('message', (m) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok === false) w.reject(new Error(m.error));
    else w.resolve(m);
  });
  return {
    proc,
    ask: (type, body = {}) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        proc.send({ id, type, ...body });
      }),
  };
}

const { receivers, ask: receiver } = startReceivers();

async function run(n, nodes, ports) {
  const started = [];
  for (let i = 0; i < nodes; i++) started.push(child('./fanout-node.mjs'));
  const pipes = [];
  for (const node of started) pipes.push((await node.ask('open')).pipe);
  const [home, ...edges] = started;
  const teacher = await home.ask('produce');
  for (const [i, edge] of edges.entries()) {
    const { piped } = await home.ask('export', { pipe: pipes[i + 1] });
    await edge.ask('import', { pipe: pipes[0], piped });
  }
  // Classroom i gets a receiver when i is a multiple of SAMPLE, the sink otherwise.
  const mine = Array.from({ length: n }, (_, i) => (i % SAMPLE === 0 ? ports[i / SAMPLE] : SINK_PORT));
  const measured = mine.filter((p) => p !== SINK_PORT).length;
  const share = Math.ceil(n / nodes);
  let pts = [];
  for (const [i, node] of started.entries()) {
    const slice = mine.slice(i * share, (i + 1) * share);
    if (slice.length) pts = [...new Set([...pts, ...(await node.ask('consume', { ports: slice })).pts])];
  }
  const stop = startSender(teacher.videoPort, teacher.audioPort);
  await new Promise((r) => setTimeout(r, 1500)); // warm-up: the first key frame reaches every consumer
  await receiver({ type: 'reset', pts }, 'reset');
  const cpu = async () => (await Promise.all(started.map((s) => s.ask('cpu')))).reduce((a, r) => a + r.seconds, 0);
  const cpu0 = await cpu();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu1 = await cpu();
  const elapsed = (performance.now() - t0) / 1000;
  const report = await receiver({ type: 'report' }, 'report');
  stop();
  for (const node of started) await node.ask('close');
  const lossPct = report.expected ? ((report.expected - report.received) / report.expected) * 100 : 100;
  return { lossPct, p50: report.p50, p99: report.p99, cores: (cpu1 - cpu0) / elapsed, streams: report.streams, wanted: measured * 2 };
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const { ports } = await receiver({ type: 'open', count: Math.ceil(Math.max(...NS) / SAMPLE), srtp: false }, 'ports');
console.log(
  `fan-out on nodes: VP8 ~1 Mbps + Opus, ${SECONDS} s per run, ${REPS} alternating runs per N, one worker per node, ${cpus().length} cores` +
    (SAMPLE > 1 ? `, every ${SAMPLE}th classroom measured (the others' media dropped by the kernel)` : ''),
);
console.log('N     nodes   loss%   p50ms   p99ms   cores   streams');
const best = { 1: 0, 2: 0 };
for (const n of NS) {
  const runs = { 1: [], 2: [] };
  for (let rep = 0; rep < REPS; rep++) {
    for (const nodes of SETUPS) {
      const r = await run(n, nodes, ports);
      runs[nodes].push(r);
      console.log(`${String(n).padEnd(5)} ${String(nodes).padEnd(5)} ${fmt(r.lossPct).padStart(7)} ${fmt(r.p50).padStart(7)} ${fmt(r.p99).padStart(7)} ${fmt(r.cores).padStart(7)} ${`${r.streams}/${r.wanted}`.padStart(9)}`);
    }
  }
  for (const nodes of SETUPS) {
    const worst = Math.max(...runs[nodes].map((r) => r.lossPct));
    if (worst <= LOSS_LIMIT && runs[nodes].every((r) => r.streams === r.wanted)) best[nodes] = Math.max(best[nodes], n);
  }
  const mean = (rs) => rs.reduce((a, r) => a + r.lossPct, 0) / rs.length;
  console.log(`${String(n).padEnd(5)} mean    1 node ${fmt(mean(runs[1]))}%  2 nodes ${fmt(mean(runs[2]))}%`);
}
console.log(
  `most classrooms at ≤ ${LOSS_LIMIT} % loss in every run (of ${NS.join(', ')}): 1 node ${best[1] || 'none'}, 2 nodes ${best[2] || 'none'}${best[1] ? `, ratio ${fmt(best[2] / best[1])}` : ''}`,
);
receivers.send({ type: 'close' }, () => process.exit(0));
process.on('SIGINT', () => process.exit(130));
