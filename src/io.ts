/** What a run gets from the outside world, so the flow itself can be run by tests. */
export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** create-agentcore's cache folder (src/cache-dir.ts); none when there is no home folder for it. */
  cacheDir: string | undefined;
  interactive: boolean;
  today: string;
  out: (line: string) => void;
  err: (line: string) => void;
}
