import sharp from 'sharp';
import { expect, test } from 'vitest';
import { decodeUserComment, parseExif } from './exif.ts';
import { readMetadataFromBytes } from './read-metadata.ts';
import { Warnings } from './read-steps.ts';
import { jpegWith, tiff, userComment, webpWith } from './test-bytes.ts';

const PARAMS =
  'a lighthouse 🌊\nNegative prompt: fog\nSteps: 12, Sampler: DDIM, Seed: 5, Size: 64x48';
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" ' +
  'xmp:CreatorTool="Painter &amp; Co"><dc:description><rdf:Alt><rdf:li xml:lang="fr">bonjour</rdf:li>' +
  '<rdf:li xml:lang="x-default">a &lt;quiet&gt; harbor\nNegative prompt: rain</rdf:li></rdf:Alt>' +
  '</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>';

function parse(bytes: Uint8Array) {
  const warnings = new Warnings();
  return { fields: parseExif(bytes, warnings), warnings: warnings.done() };
}

test('IFD0, the Exif IFD and the GPS IFD, little and big endian', () => {
  for (const le of [true, false]) {
    const block = tiff(
      [
        { tag: 0x010f, type: 2, value: 'Acme' },
        { tag: 0x0110, type: 2, value: 'Cam 1' },
        { tag: 0x0112, type: 3, value: [6] },
        { tag: 0x011a, type: 5, value: [72, 1] },
        { tag: 0x0131, type: 2, value: 'Editor 2.0' },
        { tag: 0x9c9c, type: 1, value: Buffer.from('note ✓\0', 'utf16le') },
      ],
      {
        le,
        exif: [
          { tag: 0x9003, type: 2, value: '2024:05:06 07:08:09' },
          { tag: 0x829a, type: 5, value: [1, 250] },
          { tag: 0x9000, type: 7, value: Buffer.from('0232') },
          { tag: 0x9286, type: 7, value: userComment(PARAMS, 'UNICODE-BE') },
          { tag: 0xbeef, type: 4, value: [1, 2, 3] },
        ],
        gps: [
          { tag: 1, type: 2, value: 'N' },
          { tag: 2, type: 5, value: [52, 1, 30, 1, 0, 1] },
        ],
      },
    );
    expect(parse(block)).toEqual({
      fields: {
        Make: 'Acme',
        Model: 'Cam 1',
        Orientation: 6,
        XResolution: 72,
        Software: 'Editor 2.0',
        XPComment: 'note ✓',
        DateTimeOriginal: '2024:05:06 07:08:09',
        ExposureTime: 0.004,
        ExifVersion: '0232',
        UserComment: PARAMS,
        '48879': [1, 2, 3],
        GPSInfo: { GPSLatitudeRef: 'N', GPSLatitude: [52, 30, 0] },
      },
      warnings: [],
    });
  }
});

test('UserComment: ASCII, UNICODE in either byte order, undefined code', () => {
  expect(decodeUserComment(userComment('plain', 'ASCII'), true)).toBe('plain');
  expect(decodeUserComment(userComment('ünï 🐱', 'UNICODE-LE'), false)).toBe('ünï 🐱');
  expect(decodeUserComment(userComment('ünï 🐱', 'UNICODE-BE'), true)).toBe('ünï 🐱');
  expect(decodeUserComment(Buffer.from('\0\0\0\0\0\0\0\0raw text\0\0'), true)).toBe('raw text');
  expect(decodeUserComment(Buffer.from('short'), true)).toBe('short');
});

test('offsets outside the block, loops and absurd counts are warnings, not reads', () => {
  const block = tiff([
    { tag: 0x010f, type: 2, value: 'Acme' },
    { tag: 0x0131, type: 2, value: 'long enough to be stored out of line' },
  ]);
  const broken = Buffer.from(block);
  broken.writeUInt32LE(0xfffffff0, 8 + 2 + 12 + 8); // Software's value offset
  expect(parse(broken)).toEqual({
    fields: { Make: 'Acme' },
    warnings: ['EXIF: tag 305 points outside the EXIF block'],
  });
  const looped = tiff([{ tag: 0x010f, type: 2, value: 'Acme' }], {
    exif: [{ tag: 0x9003, type: 2, value: 'x' }],
  });
  const pointer = looped.indexOf(Buffer.from([0x69, 0x87]));
  looped.writeUInt32LE(8, pointer + 8); // the Exif IFD pointer points back at IFD0
  expect(parse(looped).warnings).toEqual(['EXIF: IFD at 8 is referenced twice']);
  expect(parse(Buffer.from('MM\0*\0\0\0\x08\xff\xff', 'latin1')).warnings).toEqual([
    'EXIF: IFD at 8 has 65535 entries',
    'EXIF: IFD at 8 is cut off after 0 entries',
  ]);
  expect(parse(Buffer.from('not tiff'))).toEqual({
    fields: {},
    warnings: ['EXIF block does not start with a TIFF header'],
  });
});

test('JPEG: A1111 parameters in EXIF UserComment (big-endian UNICODE, as piexif writes)', async () => {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    tiff([{ tag: 0x0131, type: 2, value: 'AUTOMATIC1111' }], {
      le: false,
      exif: [{ tag: 0x9286, type: 7, value: userComment(PARAMS, 'UNICODE-BE') }],
    }),
  ]);
  const file = await jpegWith([
    [0xe1, exif],
    [0xfe, Buffer.from('a comment')],
  ]);
  expect((await sharp(file).metadata()).format).toBe('jpeg');
  const meta = readMetadataFromBytes(file)!;
  expect(meta.exif).toEqual({ Software: 'AUTOMATIC1111', UserComment: PARAMS });
  expect(meta.comments).toEqual(['a comment']);
  expect(meta.container).toMatchObject({ exif: `bytes[${exif.length}]`, comment: 'a comment' });
  expect(meta.generation).toMatchObject({
    source: 'a1111',
    field: 'exif:UserComment',
    prompt: 'a lighthouse 🌊',
    negative_prompt: 'fog',
    steps: 12,
    width: 64,
  });
  expect(meta.warnings).toEqual([]);
});

test('JPEG and WebP written by sharp withExif/withXmp', async () => {
  const base = sharp({ create: { width: 8, height: 6, channels: 3, background: '#468' } });
  for (const format of ['jpeg', 'webp'] as const) {
    const file = await base
      .clone()
      [format]()
      .withExif({
        IFD0: { Software: 'TestSoft', ImageDescription: 'desc' },
        IFD2: { UserComment: PARAMS },
      })
      .withXmp(XMP)
      .toBuffer();
    const meta = readMetadataFromBytes(file)!;
    expect(meta.format).toBe(format);
    expect(meta.exif).toMatchObject({
      Software: 'TestSoft',
      ImageDescription: 'desc',
      ExifImageWidth: 8,
    });
    expect(meta.xmp).toBe(XMP);
    expect(meta.generation).toMatchObject({ field: 'exif:UserComment', negative_prompt: 'fog' });
    expect(meta.warnings).toEqual([]);
  }
});

test('XMP dc:description is the generation when EXIF has none', async () => {
  const file = await jpegWith([
    [0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0'), Buffer.from(XMP)])],
  ]);
  const meta = readMetadataFromBytes(file)!;
  expect(meta.xmp).toBe(XMP);
  expect(meta.generation).toMatchObject({
    field: 'xmp:dc:description',
    prompt: 'a <quiet> harbor',
    negative_prompt: 'rain',
  });
});

test('JPEG JFIF, ICC profile pieces and Adobe segments as Pillow reports them', async () => {
  const jfif = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 1, 0, 72, 0, 96, 0, 0]);
  const icc = (n: number, part: number) =>
    Buffer.concat([Buffer.from('ICC_PROFILE\0'), Buffer.from([part, 2]), Buffer.alloc(n)]);
  const adobe = Buffer.from([0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 1]);
  const meta = readMetadataFromBytes(
    await jpegWith([
      [0xe0, jfif],
      [0xe2, icc(100, 1)],
      [0xe2, icc(50, 2)],
      [0xee, adobe],
    ]),
  )!;
  expect(meta.container).toMatchObject({
    jfif: 258,
    jfif_version: [1, 2],
    jfif_unit: 1,
    jfif_density: [72, 96],
    dpi: [72, 96],
    icc_profile: 'bytes[150]',
    adobe: 100,
    adobe_transform: 1,
  });
});

test('WebP: EXIF and XMP chunks after the bitstream; an EXIF chunk with an Exif header', async () => {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0'),
    tiff([], { exif: [{ tag: 0x9286, type: 7, value: userComment(PARAMS, 'ASCII') }] }),
  ]);
  const file = await webpWith(
    [
      ['EXIF', exif],
      ['XMP ', Buffer.from(XMP)],
    ],
    0x0c,
  );
  expect((await sharp(file).metadata()).format).toBe('webp');
  const meta = readMetadataFromBytes(file)!;
  expect(meta.exif).toEqual({ UserComment: PARAMS });
  expect(meta.xmp).toBe(XMP);
  expect(meta.generation?.prompt).toBe('a lighthouse 🌊');
});

test('ComfyUI WebP: graphs in EXIF Make/Model as "workflow:" and "prompt:"', async () => {
  const graph = {
    '1': { class_type: 'CLIPTextEncode', inputs: { text: 'a comet' } },
    '2': {
      class_type: 'KSampler',
      inputs: { positive: ['1', 0], latent_image: ['3', 0], seed: 8 },
    },
  };
  const exif = tiff([
    { tag: 0x010f, type: 2, value: 'workflow:{"nodes":[]}' },
    { tag: 0x0110, type: 2, value: `prompt:${JSON.stringify(graph)}` },
  ]);
  const meta = readMetadataFromBytes(await webpWith([['EXIF', exif]], 0x08))!;
  expect(meta.generation).toMatchObject({
    source: 'comfyui',
    field: 'exif:Model',
    prompt: 'a comet',
    seed: 8,
  });
});
