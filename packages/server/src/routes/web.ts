/**
 * The web client: files from `config.web_dir`, `index.html` for `/` and for any other GET that
 * no API route answered and that a browser navigates to (client-side routes). Content-hashed
 * assets (`app-3F7KQ2ZB.js`) are immutable; everything else revalidates. Until the client is
 * built (no web_dir, or no index.html in it), `/` shows a placeholder page that says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import type { RouteContext } from '../context.ts';
import { PAGE_CSP, placeholderPage } from '../pages.ts';
import { wantsHtml } from '../security.ts';

const HASHED_ASSET = /-[A-Za-z0-9]{8,}\.[A-Za-z0-9]+$/;

export function registerWeb(app: Express, ctx: RouteContext): void {
  const webDir = ctx.config.web_dir;
  const index = webDir === null ? null : join(webDir, 'index.html');

  const sendIndex = (_req: Request, res: Response) => {
    if (index !== null && existsSync(index)) {
      res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' }, dotfiles: 'deny' });
      return;
    }
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .set('Content-Security-Policy', PAGE_CSP)
      .type('html')
      .send(placeholderPage(ctx.config.version));
  };

  app.get(['/', '/index.html'], sendIndex);
  if (webDir !== null) {
    app.use(
      express.static(webDir, {
        index: false,
        dotfiles: 'ignore',
        fallthrough: true,
        redirect: false,
        setHeaders: (res, path) => {
          res.setHeader(
            'Cache-Control',
            HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      }),
    );
  }
  app.get('/{*rest}', (req, res, next) => {
    if (wantsHtml(req)) sendIndex(req, res);
    else next();
  });
}
