import request from 'supertest';
import { expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { testApp } from '../test-server.ts';

const app = () =>
  testApp({ gallery: createFakeGallery([{ path: '/a.jpg' }, { path: '/b.png' }]) }).app;

test('export-comparison: PNG only, 2–12 known images, each refusal names what to fix', async () => {
  const gif = await request(app())
    .post('/export-comparison')
    .send({ v: 2, paths: ['/a.jpg', '/b.png'], output_format: 'gif' })
    .expect(400);
  expect(gif.body.message).toMatch(/output_format "gif".*"png"/);
  const unknown = await request(app())
    .post('/export-comparison')
    .send({ paths: ['/a.jpg', '/nope.png'] })
    .expect(404);
  expect(unknown.body).toMatchObject({ error: 'not_found', message: 'no image /nope.png' });
  const one = await request(app())
    .post('/export-comparison')
    .send({ paths: ['/a.jpg'] });
  expect(one.status).toBe(400);
  expect(one.body.message).toMatch(/paths/);
});
