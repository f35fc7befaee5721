import { expect, test } from 'vitest';
import { rawFields } from './raw-metadata.ts';

test('raw fields: chunks by keyword, EXIF tags, XMP, other parts as JSON; repeats left out', () => {
  const rows: [Record<string, unknown>, [string, string][]][] = [
    [
      {
        found_text_chunks: [
          { type: 'tEXt', keyword: 'parameters', text: 'a fox\nSteps: 36' },
          { type: 'iTXt', keyword: 'workflow', text: '{"nodes":[]}', language_tag: '' },
        ],
        pil_info: { parameters: 'a fox\nSteps: 36' },
        quick_fields: { parameters: 'a fox\nSteps: 36' },
        quick_view_defaults: { prompt: 'a fox', model: '', lora: '' },
      },
      [
        ['parameters (tEXt)', 'a fox\nSteps: 36'],
        ['workflow (iTXt)', '{"nodes":[]}'],
      ],
    ],
    [
      {
        exif: { Make: 'Canon', ExposureTime: 0.01, GPSInfo: { GPSLatitude: [1, 2, 3] } },
        xmp: null,
      },
      [
        ['Make', 'Canon'],
        ['ExposureTime', '0.01'],
        ['GPSInfo', '{"GPSLatitude":[1,2,3]}'],
      ],
    ],
    [
      { xmp: '<x:xmpmeta/>', found_text_chunks: [], icc: [1, 2] },
      [
        ['xmp', '<x:xmpmeta/>'],
        ['icc', '[1,2]'],
      ],
    ],
    [{ found_text_chunks: ['not a chunk'] }, []],
  ];
  for (const [meta, want] of rows) expect(rawFields(meta), JSON.stringify(meta)).toEqual(want);
});
