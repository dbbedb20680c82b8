import { AppConfig } from '../../config/app.config.js';
import { pipeListen } from './sfu.options.js';

const config = (values: Partial<AppConfig>): AppConfig => Object.assign(new AppConfig(), values);

describe('pipeListen (where a node pipes a class to the others)', () => {
  it('takes MEDIASOUP_PIPE_IP first, then a specific MEDIASOUP_LISTEN_IP, then the first address of the host', () => {
    expect(pipeListen(config({ MEDIASOUP_PIPE_IP: '10.0.0.5', MEDIASOUP_LISTEN_IP: '10.0.0.6' }), ['10.0.0.7'])).toMatchObject({ ip: '10.0.0.5' });
    expect(pipeListen(config({ MEDIASOUP_LISTEN_IP: '10.0.0.6' }), ['10.0.0.7'])).toMatchObject({ ip: '10.0.0.6' });
    expect(pipeListen(config({ MEDIASOUP_LISTEN_IP: '0.0.0.0' }), ['10.0.0.7', '192.168.1.2'])).toMatchObject({ ip: '10.0.0.7' });
    expect(pipeListen(config({}), [])).toMatchObject({ ip: '127.0.0.1' });
  });

  it('listens on MEDIASOUP_PIPE_PORTS', () => {
    expect(pipeListen(config({}), ['10.0.0.7']).portRange).toEqual({ min: 44500, max: 44599 });
    expect(pipeListen(config({ MEDIASOUP_PIPE_PORTS: '50000-50009' }), ['10.0.0.7']).portRange).toEqual({ min: 50000, max: 50009 });
  });
});
