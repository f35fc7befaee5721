/**
 * Small text rules shared by every edge: control characters and unpaired surrogates are never
 * stored, and user-visible strings are NFC so that visually equal strings compare equal.
 */

// C0 controls except tab/newline/carriage return (allowed in notes), DEL and C1 controls.
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the string has an unpaired UTF-16 surrogate (not encodable as UTF-8). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** True when the string has a control character; `allowWhitespace` permits \t \n \r. */
export function hasControlChar(value: string, allowWhitespace = false): boolean {
  return (allowWhitespace ? CONTROL_EXCEPT_WHITESPACE : ANY_CONTROL).test(value);
}
