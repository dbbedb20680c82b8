import { createHmac } from 'node:crypto';
import { turnCredentials } from './turn.js';

describe(turnCredentials.name, () => {
  it('gives no ICE servers without TURN configured', () => {
    expect(turnCredentials(undefined, undefined)(1)).toEqual([]);
  });

  it('derives time-limited coturn credentials from the shared secret', () => {
    const sut = turnCredentials('turn:turn.example.cn:3478?transport=udp,turns:turn.example.cn:5349', 'a-shared-secret-123', 3600);
    const [server] = sut(42);
    expect(server.urls).toEqual(['turn:turn.example.cn:3478?transport=udp', 'turns:turn.example.cn:5349']);
    const [expiry, label] = server.username!.split(':');
    expect(label).toBe('tongke-42');
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(3500);
    expect(server.credential).toBe(createHmac('sha1', 'a-shared-secret-123').update(server.username!).digest('base64'));
  });
});
