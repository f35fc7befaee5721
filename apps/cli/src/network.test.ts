import { expect, test } from 'vitest';
import { type Address, serverUrls, withToken } from './network.ts';

const addresses: Address[] = [
  { address: '127.0.0.1', family: 'IPv4', internal: true },
  { address: '192.168.1.20', family: 'IPv4', internal: false },
  { address: '2001:db8::5', family: 'IPv6', internal: false },
];

test('loopback hosts print one local URL', () => {
  expect(serverUrls('127.0.0.1', 7070, null, addresses)).toEqual({
    local: 'http://127.0.0.1:7070/',
    network: [],
    public: null,
  });
  expect(serverUrls('::1', 7070, null, addresses).local).toBe('http://[::1]:7070/');
  expect(serverUrls('localhost', 7070, null, addresses).local).toBe('http://localhost:7070/');
});

test('wildcard hosts print every LAN address (IPv6 only for ::)', () => {
  expect(serverUrls('0.0.0.0', 7071, null, addresses)).toEqual({
    local: 'http://127.0.0.1:7071/',
    network: ['http://192.168.1.20:7071/'],
    public: null,
  });
  expect(serverUrls('::', 7071, 'https://g.example.org', addresses)).toEqual({
    local: 'http://127.0.0.1:7071/',
    network: ['http://192.168.1.20:7071/', 'http://[2001:db8::5]:7071/'],
    public: 'https://g.example.org/',
  });
});

test('a specific address prints itself; tokens are appended URL-encoded', () => {
  expect(serverUrls('192.168.1.20', 80, null, addresses).network).toEqual([
    'http://192.168.1.20:80/',
  ]);
  expect(withToken('http://h:1/', 'a.b~c')).toBe('http://h:1/?token=a.b~c');
  expect(withToken('http://h:1/', null)).toBe('http://h:1/');
});
