// Writes a generated file only when its text changes, so that watchers and incremental builds see no false change.
import { mkdir, readFile, writeFile } from "node:fs/promises";

/** Writes `text` to the file at `url` (a URL), making its folder, unless the file holds that text already. */
export async function writeIfChanged(url, text) {
  const old = await readFile(url, "utf8").catch(() => undefined);
  if (old === text) return;
  await mkdir(new URL(".", url), { recursive: true });
  await writeFile(url, text);
}
