/** Assembles WebAssembly text into a binary module, with wabt's assembler. */
import createWabt from "wabt";

let wabt: Awaited<ReturnType<typeof createWabt>> | undefined;

export async function assembleWat(text: string): Promise<Uint8Array<ArrayBuffer>> {
  wabt ??= await createWabt();
  const module = wabt.parseWat("test.wat", text);
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
