import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, frameGroup, isFrameLine } from './group-frame.ts';

const bytes = (line: string) => Buffer.from(line, 'utf8');
const decode = (line: string) => decodeFrame(bytes(line), 0, Buffer.byteLength(line));

describe('group frame', () => {
  test('pins the bytes: group length, durable offset, crc of the bytes before it', () => {
    const body = '{"group":231,"durable":4096';
    const crc = crc32(Buffer.from(body)).toString(16).padStart(8, '0');
    expect(encodeFrame(231, 4096)).toBe(`${body},"crc":"${crc}"}`);
    expect(decode(encodeFrame(231, 4096))).toEqual({ group: 231, durable: 4096 });
    expect(decode(encodeFrame(0, 0))).toEqual({ group: 0, durable: 0 });
  });

  test('frameGroup puts the frame in front and counts UTF-8 bytes of the records', () => {
    const text = '{"v":1,"path":"/猫.jpg"}\n{"v":1}\n';
    const data = frameGroup(text, 77);
    const nl = data.indexOf(0x0a);
    expect(decodeFrame(data, 0, nl)).toEqual({ group: Buffer.byteLength(text), durable: 77 });
    expect(data.subarray(nl + 1).toString()).toBe(text);
    expect(data.length).toBe(nl + 1 + Buffer.byteLength(text));
  });

  test('a record line is not a frame; a damaged frame does not decode', () => {
    const record = '{"v":1,"seq":1,"crc":"00000000"}';
    expect(isFrameLine(bytes(record), 0, record.length)).toBe(false);
    const good = encodeFrame(12, 345);
    expect(isFrameLine(bytes(good), 0, good.length)).toBe(true);
    const flipped = good.replace('"group":12', '"group":13');
    expect(decode(flipped)).toBeNull();
    for (const bad of [
      good.slice(0, -1),
      good.replace(/"crc":"[0-9a-f]{8}"/, '"crc":"XYZXYZXY"'),
      `${good} `,
      '{"group":',
    ]) {
      expect(decode(bad)).toBeNull();
    }
  });

  test('only plain non-negative integers are accepted, even with a matching crc', () => {
    for (const body of [
      '{"group":-1,"durable":0',
      '{"group":01,"durable":0',
      '{"group":1.5,"durable":0',
      '{"group":1,"durable":1e3',
      '{"group":1,"durable":""',
      '{"group":1,"extra":2,"durable":3',
    ]) {
      const crc = crc32(Buffer.from(body)).toString(16).padStart(8, '0');
      expect(decode(`${body},"crc":"${crc}"}`), body).toBeNull();
    }
  });
});
