/**
 * Quick View of an image's generation settings (`GET /metadata`): prompt and negative prompt,
 * seed, steps, sampler, CFG, model, size and LoRAs, each with a copy button; the raw fields
 * (text chunks, EXIF tags, XMP) collapsed below; what could not be read, as the server says.
 */
import type { CanonicalPath, GenerationMeta } from '@lenslet/core';
import { rawFields } from '../models/raw-metadata.ts';
import { useApp } from './context.ts';

function Copy({ text, what }: { text: string; what: string }) {
  const app = useApp();
  return (
    <button
      type="button"
      class="copy"
      title={`Copy the ${what}`}
      onClick={() => void app.copy(text, what)}
    >
      Copy
    </button>
  );
}

function Prompt({ label, text }: { label: string; text: string | null }) {
  if (!text) return null;
  return (
    <div class="gprompt">
      <div class="glabel">
        {label}
        <Copy text={text} what={label.toLowerCase()} />
      </div>
      <p class={label === 'Prompt' ? 'gtext' : 'gtext neg'}>{text}</p>
    </div>
  );
}

/** The settings after the prompts, as [label, shown text, copied text or null]. */
function settings(g: GenerationMeta): [string, string, string | null][] {
  const rows: [string, string | number | null, boolean][] = [
    ['Seed', g.seed, true],
    ['Steps', g.steps, false],
    ['Sampler', g.sampler && (g.scheduler ? `${g.sampler} · ${g.scheduler}` : g.sampler), false],
    ['CFG', g.cfg, false],
    ['Model', g.model, true],
    ['Size', g.width && g.height ? `${g.width} × ${g.height}` : null, false],
    ['LoRAs', g.loras.length ? g.loras.join(', ') : null, true],
  ];
  return rows
    .filter(([, v]) => v !== null && v !== '')
    .map(([label, v, copy]) => [label, String(v), copy ? String(v) : null]);
}

export function QuickView({ path }: { path: CanonicalPath }) {
  const metadata = useApp().inspect.of(path)?.metadata;
  if (!metadata) return null;
  const g = metadata.generation;
  const raw = rawFields(metadata.meta);
  if (!g && raw.length === 0) return null;
  return (
    <section class="quick" aria-label="Generation">
      <h3>Generation{g && <span class="gsrc"> {g.source}</span>}</h3>
      {g && (
        <>
          <Prompt label="Prompt" text={g.prompt} />
          <Prompt label="Negative prompt" text={g.negative_prompt} />
          <table class="kv gen">
            <tbody>
              {settings(g).map(([label, value, copy]) => (
                <tr key={label}>
                  <td>{label}</td>
                  <td>
                    <span class="gval">{value}</span>
                    {copy && <Copy text={copy} what={label.toLowerCase()} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {metadata.warnings.length > 0 && (
        <p class="hint warn">Partly unreadable: {metadata.warnings.join('; ')}</p>
      )}
      {raw.length > 0 && (
        <details class="raw">
          <summary>Raw fields ({raw.length})</summary>
          {raw.map(([name, text], i) => (
            <div class="rawrow" key={i}>
              <div class="glabel">
                {name}
                <Copy text={text} what={name} />
              </div>
              <pre>{text}</pre>
            </div>
          ))}
        </details>
      )}
    </section>
  );
}
