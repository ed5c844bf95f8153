/**
 * A streaming JSON reader that reports positions the way Jackson's `ReaderBasedJsonParser` does.
 *
 * EventBridge compiles event patterns with AWS's Event Ruler, which reads them with Jackson, and
 * the `InvalidEventPatternException` message ends with Jackson's location of the failure:
 *
 *   Event pattern is not valid. Reason: "int" must be an object or an array
 *    at [Source: (String)"{"int": 42}"; line: 1, column: 11]
 *
 * To answer with the same column, this reader consumes input exactly as far as Jackson would have
 * at each step (why not `JSON.parse`: it has no streaming positions at all):
 *   - a field name is read together with its colon and the first character of its value; a
 *     number or literal value is read whole at that point, a string value only up to its opening
 *     quote (the rest is read when its text is asked for, or skipped by the next token);
 *   - inside arrays and at the root, a string is likewise left "incomplete" after its opening quote;
 *   - a structural error is reported after the offending character has been consumed.
 *
 * Grammar (RFC 8259, no extensions; Jackson's defaults: no comments, no single quotes, no
 * trailing commas, no leading zeros, no NaN):
 *   value  = object / array / string / number / "true" / "false" / "null"
 *   object = "{" [ string ":" value *( "," string ":" value ) ] "}"
 *   array  = "[" [ value *( "," value ) ] "]"
 */

export type JsonToken =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER_INT'
  | 'VALUE_NUMBER_FLOAT'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL';

/** A parse failure with Jackson's message and location suffix. */
export class JsonReadError extends Error {
  constructor(
    readonly reason: string,
    readonly location: string,
  ) {
    super(`${reason}\n at ${location}`);
  }
}

interface Scope {
  kind: 'root' | 'object' | 'array';
  /** number of entries started so far (a comma is expected before the next one when > 0) */
  entries: number;
  /** 1-based line and column of the opening bracket, for end-of-input messages */
  line: number;
  column: number;
}

const MAX_SNIPPET = 500;

export function isNumericToken(t: JsonToken | null): boolean {
  return t === 'VALUE_NUMBER_INT' || t === 'VALUE_NUMBER_FLOAT';
}

export class JsonReader {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  private readonly scopes: Scope[] = [{ kind: 'root', entries: 0, line: 1, column: 0 }];
  private current: JsonToken | null = null;
  /** the value token that follows the current FIELD_NAME (already read, as Jackson does) */
  private pendingValue: JsonToken | null = null;
  private pendingText = '';
  private text = '';
  /** the current VALUE_STRING's characters have not been read yet */
  private stringIncomplete = false;

  constructor(private readonly src: string) {}

  /** Jackson's `getCurrentLocation()`, rendered as in its exception messages. */
  location(): string {
    return this.describe(this.line + 1, this.pos - this.lineStart + 1);
  }

  /** Jackson's `_currentLocationMinusOne()`, used for "Unexpected character" errors. */
  private locationMinusOne(): string {
    return this.describe(this.line + 1, this.pos - this.lineStart);
  }

  currentToken(): JsonToken | null {
    return this.current;
  }

  /** A failure at the current position. */
  fail(reason: string): never {
    throw new JsonReadError(reason, this.location());
  }

  /** The text of the current token; completes a string value (moving past its closing quote). */
  getText(): string {
    if (this.current === 'VALUE_STRING' && this.stringIncomplete) {
      this.text = this.readStringBody();
      this.stringIncomplete = false;
    }
    switch (this.current) {
      case 'FIELD_NAME':
      case 'VALUE_STRING':
      case 'VALUE_NUMBER_INT':
      case 'VALUE_NUMBER_FLOAT':
        return this.text;
      case 'VALUE_TRUE':
        return 'true';
      case 'VALUE_FALSE':
        return 'false';
      case 'VALUE_NULL':
        return 'null';
      case 'START_OBJECT':
        return '{';
      case 'END_OBJECT':
        return '}';
      case 'START_ARRAY':
        return '[';
      case 'END_ARRAY':
        return ']';
      default:
        return '';
    }
  }

  nextToken(): JsonToken | null {
    if (this.current === 'FIELD_NAME') {
      const t = this.pendingValue as JsonToken;
      this.pendingValue = null;
      this.text = this.pendingText;
      return (this.current = t);
    }
    if (this.stringIncomplete) {
      this.readStringBody();
      this.stringIncomplete = false;
    }
    let c = this.skipWhitespace();
    const scope = this.scopes[this.scopes.length - 1];
    if (c < 0) {
      if (scope.kind !== 'root') {
        const typeDesc = scope.kind === 'object' ? 'Object' : 'Array';
        this.fail(
          `Unexpected end-of-input: expected close marker for ${typeDesc} (start marker at ${this.describe(scope.line, scope.column)})`,
        );
      }
      return (this.current = null);
    }
    if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      const want = scope.kind === 'array' ? 0x5d : scope.kind === 'object' ? 0x7d : -1;
      if (c !== want) {
        const ch = String.fromCharCode(c);
        if (scope.kind === 'root') this.fail(`Unexpected close marker '${ch}': expected ']' (for root starting at ${this.describe(1, 0)})`);
        const desc = scope.kind === 'object' ? 'Object' : 'Array';
        this.fail(
          `Unexpected close marker '${ch}': expected '${scope.kind === 'object' ? '}' : ']'}' (for ${desc} starting at ${this.describe(scope.line, scope.column)})`,
        );
      }
      this.scopes.pop();
      this.text = '';
      return (this.current = c === 0x5d ? 'END_ARRAY' : 'END_OBJECT');
    }
    if (scope.entries > 0 && scope.kind !== 'root') {
      if (c !== 0x2c /* , */) this.unexpected(c, `was expecting comma to separate ${scope.kind === 'object' ? 'Object' : 'Array'} entries`);
      c = this.skipWhitespace();
      if (c < 0) this.fail(`Unexpected end-of-input within/between ${scope.kind === 'object' ? 'Object' : 'Array'} entries`);
    }
    if (scope.kind === 'object') {
      if (c !== 0x22 /* " */) this.unexpected(c, 'was expecting double-quote to start field name');
      const name = this.readStringBody();
      c = this.skipWhitespace();
      if (c < 0) this.fail('Unexpected end-of-input within/between Object entries');
      if (c !== 0x3a /* : */) this.unexpected(c, 'was expecting a colon to separate field name and value');
      c = this.skipWhitespace();
      if (c < 0) this.fail('Unexpected end-of-input within/between Object entries');
      scope.entries++;
      const t = this.startValue(c);
      this.pendingValue = t;
      this.pendingText = this.text;
      this.text = name;
      return (this.current = 'FIELD_NAME');
    }
    scope.entries++;
    return (this.current = this.startValue(c));
  }

  /** Skips the children of the current START_OBJECT/START_ARRAY (Jackson's skipChildren). */
  skipChildren(): void {
    if (this.current !== 'START_OBJECT' && this.current !== 'START_ARRAY') return;
    let depth = 1;
    while (depth > 0) {
      const t = this.nextToken();
      if (t === null) return;
      if (t === 'START_OBJECT' || t === 'START_ARRAY') depth++;
      else if (t === 'END_OBJECT' || t === 'END_ARRAY') depth--;
    }
  }

  // ---- internals ----

  private describe(line: number, column: number): string {
    const content =
      this.src.length > MAX_SNIPPET
        ? `"${this.src.slice(0, MAX_SNIPPET)}"[truncated ${this.src.length - MAX_SNIPPET} chars]`
        : `"${this.src}"`;
    return `[Source: (String)${content}; line: ${line}, column: ${column}]`;
  }

  /** Reads the first character(s) of a value; `c` has been consumed already. */
  private startValue(c: number): JsonToken {
    switch (c) {
      case 0x22: // "
        this.stringIncomplete = true;
        this.text = '';
        return 'VALUE_STRING';
      case 0x5b: // [
      case 0x7b: {
        // {
        const kind = c === 0x5b ? 'array' : 'object';
        this.scopes.push({ kind, entries: 0, line: this.line + 1, column: this.pos - this.lineStart });
        this.text = '';
        return kind === 'array' ? 'START_ARRAY' : 'START_OBJECT';
      }
      case 0x74: // t
        this.matchLiteral('true');
        return 'VALUE_TRUE';
      case 0x66: // f
        this.matchLiteral('false');
        return 'VALUE_FALSE';
      case 0x6e: // n
        this.matchLiteral('null');
        return 'VALUE_NULL';
      case 0x2d: // -
        return this.readNumber(true);
      default:
        if (c >= 0x30 && c <= 0x39) {
          this.pos--;
          return this.readNumber(false);
        }
        if (c === 0x5d || c === 0x7d) this.unexpected(c, 'expected a value');
        if (isIdentifierChar(c)) {
          this.pos--;
          this.invalidToken('', 'JSON String, Number, Array, Object or token \'null\', \'true\' or \'false\'');
        }
        this.unexpected(c, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }
  }

  private matchLiteral(word: string): void {
    // the first character is consumed
    for (let i = 1; i < word.length; i++) {
      if (this.pos >= this.src.length || this.src.charCodeAt(this.pos) !== word.charCodeAt(i)) {
        this.invalidToken(word.slice(0, i), "JSON String, Number, Array, Object or token 'null', 'true' or 'false'");
      }
      this.pos++;
    }
    if (this.pos < this.src.length && isIdentifierChar(this.src.charCodeAt(this.pos))) {
      this.invalidToken(word, "JSON String, Number, Array, Object or token 'null', 'true' or 'false'");
    }
  }

  /** Jackson's _reportInvalidToken: swallows the rest of the word, then fails after it. */
  private invalidToken(matched: string, expected: string): never {
    let word = matched;
    while (this.pos < this.src.length && isIdentifierChar(this.src.charCodeAt(this.pos))) {
      word += this.src[this.pos];
      this.pos++;
      if (word.length >= 256) break;
    }
    this.fail(`Unrecognized token '${word}': was expecting (${expected})`);
  }

  private readNumber(negative: boolean): JsonToken {
    const start = negative ? this.pos - 1 : this.pos;
    const src = this.src;
    let c = this.peek();
    if (negative && !(c >= 0x30 && c <= 0x39)) {
      if (c < 0) this.fail('Unexpected end-of-input in a Number value');
      this.pos++;
      this.unexpected(c, 'expected digit (0-9) to follow minus sign, for valid numeric value', ' in numeric value');
    }
    if (c === 0x30) {
      this.pos++;
      const d = this.peek();
      if (d >= 0x30 && d <= 0x39) {
        this.pos++;
        this.fail('Invalid numeric value: Leading zeroes not allowed');
      }
    } else {
      while (this.pos < src.length && isDigit(src.charCodeAt(this.pos))) this.pos++;
    }
    let float = false;
    c = this.peek();
    if (c === 0x2e /* . */) {
      float = true;
      this.pos++;
      const d = this.peek();
      if (!isDigit(d)) {
        if (d < 0) this.fail('Unexpected end-of-input in a Number value');
        this.pos++;
        this.unexpected(d, 'Decimal point not followed by a digit', ' in fractional part');
      }
      while (this.pos < src.length && isDigit(src.charCodeAt(this.pos))) this.pos++;
      c = this.peek();
    }
    if (c === 0x65 || c === 0x45) {
      float = true;
      this.pos++;
      let d = this.peek();
      if (d === 0x2b || d === 0x2d) {
        this.pos++;
        d = this.peek();
      }
      if (!isDigit(d)) {
        if (d < 0) this.fail('Unexpected end-of-input in a Number value');
        this.pos++;
        this.unexpected(d, 'Exponent indicator not followed by a digit', ' in exponent part');
      }
      while (this.pos < src.length && isDigit(src.charCodeAt(this.pos))) this.pos++;
    }
    this.text = src.slice(start, this.pos);
    return float ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT';
  }

  /** Reads a string's characters after its opening quote, through its closing quote. */
  private readStringBody(): string {
    const src = this.src;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= src.length) {
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      }
      const c = src.charCodeAt(this.pos);
      if (c === 0x22) {
        out += src.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === 0x5c /* \ */) {
        out += src.slice(runStart, this.pos);
        this.pos++;
        if (this.pos >= src.length) this.fail('Unexpected end-of-input in character escape sequence');
        const e = src[this.pos++];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            let code = 0;
            for (let i = 0; i < 4; i++) {
              if (this.pos >= src.length) this.fail('Unexpected end-of-input in character escape sequence');
              const h = src.charCodeAt(this.pos++);
              const v = hexValue(h);
              if (v < 0) this.unexpected(h, 'expected a hex-digit for character escape sequence');
              code = (code << 4) | v;
            }
            out += String.fromCharCode(code);
            break;
          }
          default:
            this.fail(`Unrecognized character escape ${describeChar(e.charCodeAt(0))}`);
        }
        runStart = this.pos;
        continue;
      }
      if (c < 0x20) {
        this.pos++;
        this.fail(`Illegal unquoted character (${describeChar(c)}): has to be escaped using backslash to be included in string value`);
      }
      this.pos++;
    }
  }

  /** Skips whitespace and returns the next character (consumed), or -1 at the end of input. */
  private skipWhitespace(): number {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos++);
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      if (c === 0x0d) {
        if (this.pos < src.length && src.charCodeAt(this.pos) === 0x0a) this.pos++;
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      if (c === 0x2f /* / */) {
        this.fail(
          "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
        );
      }
      return c;
    }
    return -1;
  }

  private peek(): number {
    return this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1;
  }

  /** An unexpected character (already consumed): Jackson reports it at the character itself. */
  private unexpected(c: number, comment: string, where = ''): never {
    const reason = `Unexpected character (${describeChar(c)})${where}: ${comment}`;
    if (where !== '') this.fail(reason); // number errors are reported after the character
    throw new JsonReadError(reason, this.locationMinusOne());
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Java's Character.isJavaIdentifierPart, close enough for the ASCII range Jackson reports. */
function isIdentifierChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c > 0x7f;
}

/** Jackson's _getCharDesc: `'x' (code 120)`, or `(CTRL-CHAR, code 10)`. */
function describeChar(c: number): string {
  if (c < 0x20) return `(CTRL-CHAR, code ${c})`;
  if (c > 255) return `'${String.fromCharCode(c)}' (code ${c} / 0x${c.toString(16)})`;
  return `'${String.fromCharCode(c)}' (code ${c})`;
}
