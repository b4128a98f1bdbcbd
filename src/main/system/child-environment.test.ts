import { describe, expect, it } from 'vitest';
import { childEnvironment, isSecretVariable } from './child-environment';

describe('childEnvironment', () => {
  const dropped = [
    'MEDIA_API_TOKEN',
    'DATABASE_URL',
    'database_url',
    'NODE_OPTIONS',
    'PGPASSWORD',
    'PGPASSFILE',
    'PGUSER',
    'PGHOST',
    'PGPORT',
    'PGDATABASE',
    'PGSERVICEFILE',
    'PGSSLKEY',
    'GITHUB_TOKEN',
    'npm_config__authToken',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'CLIENT_SECRET',
    'MYSQL_PASSWORD',
    'db_password',
    'SMTP_PASSWD',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'AZURE_CREDENTIAL_FILE',
    'SSH_PRIVATE_KEY',
    'OPENAI_API_KEY',
    'Stripe_Api_Key',
  ];
  const kept = [
    'PATH',
    'HOME',
    'USER',
    'SHELL',
    'LANG',
    'LC_ALL',
    'LC_NUMERIC',
    'TZ',
    'TMPDIR',
    'TEMP',
    'CUDA_VISIBLE_DEVICES',
    'NVIDIA_VISIBLE_DEVICES',
    'NVIDIA_DRIVER_CAPABILITIES',
    'LD_LIBRARY_PATH',
    'XDG_RUNTIME_DIR',
    'XDG_DATA_HOME',
    'LIBVA_DRIVER_NAME',
    'DISPLAY',
    'MEDIA_FFMPEG_PATH',
    'MEDIA_DATA_DIR',
    'NODE_ENV',
    'SYSTEMROOT',
  ];

  it.each(dropped)('drops %s', (name) => {
    expect(isSecretVariable(name)).toBe(true);
    expect(childEnvironment({ [name]: 'x', PATH: '/usr/bin' })).toEqual({ PATH: '/usr/bin' });
  });

  it.each(kept)('keeps %s', (name) => {
    expect(isSecretVariable(name)).toBe(false);
    expect(childEnvironment({ [name]: 'value' })).toEqual({ [name]: 'value' });
  });

  it('returns a new object without undefined values and leaves its input alone', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin', MEDIA_API_TOKEN: 't', EMPTY: '', GONE: undefined };
    const out = childEnvironment(env);
    expect(out).toEqual({ PATH: '/bin', EMPTY: '' });
    expect('GONE' in out).toBe(false);
    expect(out).not.toBe(env);
    expect(env.MEDIA_API_TOKEN).toBe('t');
  });

  it('reads process.env by default', () => {
    const before = process.env.MEDIA_API_TOKEN;
    process.env.MEDIA_API_TOKEN = 'secret-default';
    try {
      const out = childEnvironment();
      expect(out.MEDIA_API_TOKEN).toBeUndefined();
      expect(out.PATH).toBe(process.env.PATH);
    } finally {
      if (before === undefined) delete process.env.MEDIA_API_TOKEN;
      else process.env.MEDIA_API_TOKEN = before;
    }
  });
});
