/** Assembles WebAssembly text into a binary module, with wabt's assembler. */
import createWabt from "wabt";

let wabt: Awaited<ReturnType<typeof createWabt>> | undefined;

/** Assembles `text`; shared memories and atomic instructions need the threads feature. */
export async function assembleWat(text: string): Promise<Uint8Array<ArrayBuffer>> {
  wabt ??= await createWabt();
  const module = wabt.parseWat("test.wat", text, { threads: true });
  try {
    // wabt's validator refuses a shared memory whatever the features; the engine validates one as it compiles it.
    if (!/\bshared\b/.test(text)) module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
