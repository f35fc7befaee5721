/** `--open`: hand the URL to the desktop's browser; a failure is a note, never an error. */
import { spawn } from 'node:child_process';

export function openBrowser(url: string, onError: (message: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () =>
      onError(`could not open a browser (${command} failed); open ${url} yourself`),
    );
    child.unref();
  } catch {
    onError(`could not open a browser; open ${url} yourself`);
  }
}
