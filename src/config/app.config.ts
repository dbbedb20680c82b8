import { accessSync, constants, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import { IsAcceptablePassword } from '../auth/password-policy.js';
import { IsBoolean, IsEmail, IsIn, IsInt, IsIP, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the server reads, validated once at boot. A bad value stops the process with a
 * message naming each variable that is wrong (see `loadConfig`).
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * HTTPS beside the HTTP port: a page on plain HTTP at any address but localhost is not a secure context (no
   * camera, no microphone, no live class). 0 turns it off (behind a reverse proxy that terminates TLS).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTPS_PORT = 3443;

  /** The school's own certificate and key (PEM). Unset: a self-signed one is generated into DATA_DIR/tls. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  /**
   * Which proxies' X-Forwarded-* headers to believe (Express "trust proxy"): `loopback`, `uniquelocal` (a
   * reverse proxy on a private network, as in docker-compose), a comma-separated list of addresses or CIDRs.
   */
  @Matches(/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/, {
    message: 'TRUST_PROXY must be loopback, linklocal, uniquelocal or comma-separated addresses/CIDRs',
  })
  TRUST_PROXY = 'loopback';

  /** PostgreSQL connection string. Unset: an embedded PostgreSQL is started in DATA_DIR/pg. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Folder for the embedded database, uploaded files and generated secrets. */
  @IsString()
  DATA_DIR = 'data';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Secret for signing access tokens. Unset outside production: one is generated and kept in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 30)
  JWT_TTL_SECONDS = 12 * 60 * 60;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @IsAcceptablePassword()
  ADMIN_PASSWORD?: string;

  /** Largest accepted upload in bytes (default 500 MB). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  UPLOAD_MAX_BYTES = 500 * 1024 * 1024;

  /** Files an account other than an admin may store, in MB (0: no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  UPLOAD_QUOTA_MB = 10240;

  /** Uploads pause while the disk has less free space than this, in MB (0: never). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  UPLOAD_MIN_FREE_MB = 1024;

  /**
   * A connection that sends or receives nothing for this long is closed. There is no deadline for a whole
   * request: a 500 MB upload over a rural school's link may take an hour, and goes on as long as it moves.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  STALL_TIMEOUT_SECONDS = 120;

  /** Login attempts allowed per client address and email within LOGIN_THROTTLE_TTL_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_TTL_SECONDS = 60;

  /**
   * HTTP API requests allowed per client address within HTTP_RATE_TTL_SECONDS; 0 turns the limit off. A
   * school's computer room reaches us through one NAT address, so it is generous. Recorded and live video
   * (playlists, segments, MP4, posters), /health and /metrics are not counted.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  HTTP_RATE_LIMIT = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  HTTP_RATE_TTL_SECONDS = 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Where the built web app is (relative to the working directory). */
  @IsString()
  CLIENT_DIR = 'client/dist';

  /** Serve the built web app (CLIENT_DIR) at `/`. */
  @Transform(toBool)
  @IsBoolean()
  SERVE_CLIENT = true;

  /** mediasoup workers for live classes; 0 = one per core. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(64)
  MEDIASOUP_WORKERS = 0;

  /** First WebRTC port: worker i listens on this + i, UDP and TCP. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65000)
  MEDIASOUP_WEBRTC_PORT = 44400;

  /**
   * Where media listens. Unset (or 0.0.0.0): every non-internal IPv4 address of the host and 127.0.0.1, each
   * announced as itself (see planMediaAddresses).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIP(undefined, { message: 'MEDIASOUP_LISTEN_IP must be an IP address' })
  MEDIASOUP_LISTEN_IP?: string;

  /** Public IP or host name announced to browsers when the server is behind NAT; overrides discovery. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MEDIASOUP_ANNOUNCED_ADDRESS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  MEDIASOUP_MAX_CONSUMERS_PER_ROUTER = 200;

  /**
   * With several nodes: the address other nodes reach this one's media pipes at (a class spanning nodes). Unset:
   * MEDIASOUP_LISTEN_IP when it names one address, else the host's first non-internal IPv4 address.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIP(undefined, { message: 'MEDIASOUP_PIPE_IP must be an IP address' })
  MEDIASOUP_PIPE_IP?: string;

  /** The UDP ports of those pipes, one per class and other node: `first-last`. */
  @Matches(/^\d{4,5}-\d{4,5}$/, { message: 'MEDIASOUP_PIPE_PORTS must be a range such as 44500-44599' })
  MEDIASOUP_PIPE_PORTS = '44500-44599';

  /**
   * With several nodes: the classrooms of one class its home node serves; the next are sent to another node, which
   * receives the class through a pipe (0: no limit, a class stays on one node).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  LIVE_CLASSROOMS_PER_NODE = 400;

  @IsIn(['debug', 'warn', 'error', 'none'])
  MEDIASOUP_LOG_LEVEL: 'debug' | 'warn' | 'error' | 'none' = 'warn';

  /** How long before its start time a teacher may open a live class. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(240)
  LIVE_START_WINDOW_MINUTES = 15;

  /** TURN servers handed to browsers, comma-separated (turn:host:3478?transport=udp,turns:host:5349). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(turns?:[^,\s]+)(,turns?:[^,\s]+)*$/, { message: 'TURN_URLS must be comma-separated turn: or turns: URLs' })
  TURN_URLS?: string;

  /** In production, the Bearer token a Prometheus scraper sends for /metrics (admins' tokens work too). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  /** coturn's static-auth-secret: each client gets short-lived credentials derived from it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'TURN_SECRET must be at least 16 characters long' })
  TURN_SECRET?: string;

  /** A classroom that drops out keeps its place (and its attendance) this long while it reconnects. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  LIVE_RECONNECT_GRACE_SECONDS = 30;

  /** Where recordings are kept. Unset: DATA_DIR/recordings. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  RECORDINGS_DIR?: string;

  /** Days a recording is kept after its class (0 = forever). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36500)
  RECORDING_RETENTION_DAYS = 0;

  /** The recorder stops (cleanly, keeping what it wrote) when the disk has less free space than this. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RECORDING_MIN_FREE_MB = 500;

  /** x264 preset of the recorder: faster presets use less CPU per live class for a larger file. */
  @IsIn(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'])
  RECORDING_X264_PRESET = 'veryfast';

  /** Seconds per HLS segment: a crash loses at most one. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  RECORDING_SEGMENT_SECONDS = 4;

  /**
   * Connections this node keeps to PostgreSQL. Each node has its own pool: with several nodes on one database,
   * their pools together must stay under PostgreSQL's max_connections (100 by default). See bench/README.md.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /**
   * This node's name among several (REDIS_URL), stable across its restarts: it tags the recorders it starts, so
   * that after a crash it stops only its own, even in a RECORDINGS_DIR shared with other nodes. Default: the host
   * name and PORT.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'NODE_ID must be 1 to 100 letters, digits, dots, dashes, underscores or colons' })
  NODE_ID?: string;

  /** The ffmpeg and ffprobe programs (Debian's package by default). */
  @IsString()
  FFMPEG_PATH = 'ffmpeg';

  @IsString()
  FFPROBE_PATH = 'ffprobe';

  /** Reserved for the socket.io Redis adapter (live classes); accepted and validated now. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
}

function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** This node's name among several: NODE_ID, or the host name and PORT. */
export const nodeIdOf = (c: Pick<AppConfig, 'NODE_ID' | 'PORT'>): string => c.NODE_ID ?? `${hostname()}:${c.PORT}`;

/** Parses and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(['DATABASE_URL', 'JWT_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'REDIS_URL', 'MEDIASOUP_ANNOUNCED_ADDRESS', 'TURN_URLS', 'TURN_SECRET', 'RECORDINGS_DIR', 'NODE_ID', 'MEDIASOUP_LISTEN_IP', 'MEDIASOUP_PIPE_IP', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'METRICS_TOKEN']);
  const picked: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined) picked[key] = value;
  }
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { whitelist: true });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    problems.push('JWT_SECRET: must be set in production');
  }
  if (Boolean(config.TLS_CERT_FILE) !== Boolean(config.TLS_KEY_FILE)) problems.push('TLS_CERT_FILE / TLS_KEY_FILE: set both or neither');
  for (const key of ['TLS_CERT_FILE', 'TLS_KEY_FILE'] as const) {
    const file = config[key];
    if (file && !isReadableFile(file)) problems.push(`${key}: ${file} is not a readable file`);
  }
  if (config.TURN_URLS && !config.TURN_SECRET) problems.push('TURN_SECRET: required with TURN_URLS');
  const [pipeMin, pipeMax] = config.MEDIASOUP_PIPE_PORTS.split('-').map(Number);
  if (!(pipeMin >= 1024 && pipeMin <= pipeMax && pipeMax <= 65535)) {
    problems.push(`MEDIASOUP_PIPE_PORTS: ${config.MEDIASOUP_PIPE_PORTS} is not a range of ports from 1024 to 65535, lowest first`);
  }
  if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL / ADMIN_PASSWORD: set both or neither');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
