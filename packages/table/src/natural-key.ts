/**
 * Case-insensitive natural sort key of a name: digit runs compare by value.
 * 'IMG_12.jpg' => 'img_00212.jpg' · 'img_9.jpg' => 'img_0019.jpg' (so 9 sorts before 12)
 */
export function naturalKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/\d+/g, (digits) => {
      const value = digits.replace(/^0+(?=\d)/, '');
      return `${String(value.length).padStart(3, '0')}${value}`;
    });
}
