/** CORS_ORIGINS: exact origins as browsers send them, `*` alone, or nothing (off, the default). */
import { ConfigError, loadConfig } from '../../src/config';

describe('CORS_ORIGINS', () => {
  it.each([
    [undefined, []],
    ['', []],
    [' , ', []],
    ['*', '*'],
    [' * ', '*'],
    ['https://app.example.com', ['https://app.example.com']],
    // Written as browsers send an Origin: lower-case host, default port dropped, no trailing slash.
    ['https://App.Example.com/, http://localhost:5173 ,HTTPS://app.example.com:443', ['https://app.example.com', 'http://localhost:5173']],
    ['http://127.0.0.1:8080,http://[::1]:3000', ['http://127.0.0.1:8080', 'http://[::1]:3000']],
  ])('reads %j as %j', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { CORS_ORIGINS: value }).corsOrigins).toEqual(expected);
  });

  it.each(['app.example.com', 'https://app.example.com/path', 'https://*.example.com', 'ftp://app.example.com', 'https://user@app.example.com', 'https://app.example.com?x=1', 'null'])(
    'refuses %s, naming the setting',
    (value) => {
      expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS: each entry must be an origin such as https:\/\/app\.example\.com/);
    },
  );

  it('refuses * beside other origins', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*, https://app.example.com' })).toThrow(/CORS_ORIGINS: \* allows every origin and must stand alone/);
  });
});
