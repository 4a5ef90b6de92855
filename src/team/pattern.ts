/**
 * A text question's `pattern`, matched in time linear in the answer's length, so no pattern can
 * hang the CLI (`(a+)+b` backtracks exponentially in JavaScript's RegExp). The structure — groups,
 * `|`, `*`, `+`, `?`, `{n,m}`, `^`, `$`, `\b` — is compiled to a Thompson NFA that follows every
 * way of matching at once; each piece that matches one character (`[a-z]`, `\d`, `\p{L}`, `.`, a
 * literal) is tested by a JavaScript RegExp on that one character, so character syntax is
 * JavaScript's (unicode mode). Lookaround and backreferences need backtracking and are refused.
 * The whole answer must match, as before.
 */

export interface Pattern {
  readonly source: string;
  test(text: string): boolean;
}

/** The most NFA steps a pattern may compile to (`{n,m}` repeats its part): bounds each character's work. */
export const MAX_PATTERN_STEPS = 2000;

type Node =
  | { kind: "char"; source: string }
  | { kind: "assert"; at: "start" | "end" | "boundary" | "not-boundary" }
  | { kind: "sequence"; items: Node[] }
  | { kind: "either"; options: Node[] }
  | { kind: "repeat"; item: Node; min: number; max: number };

type Step =
  | { op: "char"; test: (ch: string) => boolean }
  | { op: "assert"; at: "start" | "end" | "boundary" | "not-boundary" }
  | { op: "split"; to: [number, number] }
  | { op: "jump"; to: number }
  | { op: "match" };

/** A pattern this matcher refuses, with why; the manifest check names the field. */
export class PatternError extends Error {}

const NEEDS_BACKTRACKING =
  "patterns are matched in linear time: groups, |, *, +, ?, {n,m}, character classes, ^, $ and \\b";

export function compilePattern(source: string): Pattern {
  // JavaScript's parser first: its syntax errors, and the syntax the parser below may assume valid.
  try {
    new RegExp(source, "u");
  } catch (error) {
    throw new PatternError(`is not a regular expression (${(error as Error).message})`);
  }
  const node = new Parser(source).parse();
  const steps: Step[] = [];
  emit(node, steps, new Map());
  steps.push({ op: "match" });
  return { source, test: (text) => run(steps, text) };
}

class Parser {
  private at = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.source.length) throw new PatternError(`unexpected ${this.source[this.at]}`);
    return node;
  }

  private peek(text: string): boolean {
    return this.source.startsWith(text, this.at);
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek("|")) {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "either", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && !this.peek("|") && !this.peek(")")) items.push(this.quantified());
    return { kind: "sequence", items };
  }

  private quantified(): Node {
    let item = this.atom();
    for (;;) {
      let min: number;
      let max: number;
      const brace = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (this.peek("*")) [min, max, this.at] = [0, Infinity, this.at + 1];
      else if (this.peek("+")) [min, max, this.at] = [1, Infinity, this.at + 1];
      else if (this.peek("?")) [min, max, this.at] = [0, 1, this.at + 1];
      else if (brace) {
        min = Number(brace[1]);
        max = brace[2] === undefined ? min : brace[3] === "" ? Infinity : Number(brace[3]);
        this.at += brace[0].length;
      } else return item;
      if (this.peek("?")) this.at++; // lazy: the same answer for a whole-text match
      if (item.kind === "assert") throw new PatternError(`repeats an assertion; ${NEEDS_BACKTRACKING}`);
      item = { kind: "repeat", item, min, max };
    }
  }

  private atom(): Node {
    const ch = this.source[this.at]!;
    if (ch === "(") return this.group();
    if (ch === "^" || ch === "$") {
      this.at++;
      return { kind: "assert", at: ch === "^" ? "start" : "end" };
    }
    if (ch === "[") return { kind: "char", source: this.characterClass() };
    if (ch === "\\") return this.escape();
    const codePoint = String.fromCodePoint(this.source.codePointAt(this.at)!);
    this.at += codePoint.length;
    return { kind: "char", source: codePoint === "." ? "." : codePoint };
  }

  private group(): Node {
    this.at++; // (
    if (this.peek("?=") || this.peek("?!") || this.peek("?<=") || this.peek("?<!"))
      throw new PatternError(`uses lookahead or lookbehind, which need backtracking; ${NEEDS_BACKTRACKING}`);
    if (this.peek("?:")) this.at += 2;
    else if (this.peek("?<")) this.at = this.source.indexOf(">", this.at) + 1; // a named group
    const inner = this.alternation();
    this.at++; // )
    return inner;
  }

  /** `[…]` as written (JavaScript has validated it); in unicode mode `]` ends it unless escaped. */
  private characterClass(): string {
    const start = this.at;
    this.at++;
    while (this.source[this.at] !== "]") this.at += this.source[this.at] === "\\" ? 2 : 1;
    this.at++;
    return this.source.slice(start, this.at);
  }

  private escape(): Node {
    const rest = this.source.slice(this.at);
    if (/^\\[1-9]|^\\k</.test(rest))
      throw new PatternError(`uses a backreference, which needs backtracking; ${NEEDS_BACKTRACKING}`);
    if (rest.startsWith("\\b") || rest.startsWith("\\B")) {
      this.at += 2;
      return { kind: "assert", at: rest[1] === "b" ? "boundary" : "not-boundary" };
    }
    // One character's escape: \p{…}, \u{…}, a surrogate pair as two \uXXXX, \uXXXX, \xHH, \cX, or \ and one.
    const length =
      /^\\[pPu]\{[^}]*\}/.exec(rest)?.[0].length ??
      /^\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}/.exec(rest)?.[0].length ??
      /^\\u[0-9a-fA-F]{4}|^\\x[0-9a-fA-F]{2}|^\\c[A-Za-z]/.exec(rest)?.[0].length ??
      2;
    this.at += length;
    return { kind: "char", source: rest.slice(0, length) };
  }
}

/** Appends the steps that match `node`; `tests` shares one tester per character piece. */
function emit(node: Node, steps: Step[], tests: Map<string, (ch: string) => boolean>): void {
  if (steps.length > MAX_PATTERN_STEPS)
    throw new PatternError(`is too large: its repetitions make more than ${MAX_PATTERN_STEPS} steps`);
  switch (node.kind) {
    case "char": {
      let test = tests.get(node.source);
      if (!test) {
        const regexp = new RegExp(`^(?:${node.source})$`, "u");
        const seen = new Map<string, boolean>();
        test = (ch) => {
          let result = seen.get(ch);
          if (result === undefined) {
            result = regexp.test(ch);
            seen.set(ch, result);
          }
          return result;
        };
        tests.set(node.source, test);
      }
      steps.push({ op: "char", test });
      return;
    }
    case "assert":
      steps.push({ op: "assert", at: node.at });
      return;
    case "sequence":
      for (const item of node.items) emit(item, steps, tests);
      return;
    case "either": {
      // split L1, next; L1: option; jump end; next: split L2, … ; last option
      const jumps: Step[] = [];
      node.options.forEach((option, index) => {
        if (index < node.options.length - 1) {
          const split: Step = { op: "split", to: [steps.length + 1, -1] };
          steps.push(split);
          emit(option, steps, tests);
          const jump: Step = { op: "jump", to: -1 };
          steps.push(jump);
          jumps.push(jump);
          split.to[1] = steps.length;
        } else emit(option, steps, tests);
      });
      for (const jump of jumps) (jump as { to: number }).to = steps.length;
      return;
    }
    case "repeat": {
      for (let i = 0; i < node.min; i++) emit(node.item, steps, tests);
      if (node.max === Infinity) {
        const split: Step = { op: "split", to: [steps.length + 1, -1] };
        const loop = steps.length;
        steps.push(split);
        emit(node.item, steps, tests);
        steps.push({ op: "jump", to: loop });
        split.to[1] = steps.length;
        return;
      }
      const splits: Step[] = [];
      for (let i = node.min; i < node.max; i++) {
        const split: Step = { op: "split", to: [steps.length + 1, -1] };
        steps.push(split);
        splits.push(split);
        emit(node.item, steps, tests);
      }
      for (const split of splits) (split as { to: [number, number] }).to[1] = steps.length;
      return;
    }
  }
}

const WORD = /^\w$/;

/** Runs the NFA over the text's code points, every thread in step: at most steps × characters work. */
function run(steps: Step[], text: string): boolean {
  const chars = [...text];
  const wordAt = (index: number) => index >= 0 && index < chars.length && WORD.test(chars[index]!);
  const seen = new Int32Array(steps.length).fill(-1);
  const add = (threads: number[], start: number, position: number) => {
    const pending = [start];
    while (pending.length > 0) {
      const pc = pending.pop()!;
      if (seen[pc] === position) continue;
      seen[pc] = position;
      const step = steps[pc]!;
      if (step.op === "jump") pending.push(step.to);
      else if (step.op === "split") pending.push(step.to[1], step.to[0]);
      else if (step.op === "assert") {
        const boundary = wordAt(position - 1) !== wordAt(position);
        const holds =
          step.at === "start"
            ? position === 0
            : step.at === "end"
              ? position === chars.length
              : step.at === "boundary"
                ? boundary
                : !boundary;
        if (holds) pending.push(pc + 1);
      } else threads.push(pc);
    }
  };
  let threads: number[] = [];
  add(threads, 0, 0);
  for (let position = 0; position < chars.length && threads.length > 0; position++) {
    const next: number[] = [];
    for (const pc of threads) {
      const step = steps[pc]!;
      if (step.op === "char" && step.test(chars[position]!)) add(next, pc + 1, position + 1);
    }
    threads = next;
  }
  return threads.some((pc) => steps[pc]!.op === "match");
}
