/** Play and pause: the event moves on at a steady rate, one seek at a time, until the trace ends. */

export const PLAY_SPEEDS = [100, 1_000, 10_000, 100_000, 1_000_000] as const;

export class Player {
  /** Events a second. */
  speed: number;
  onChange: (playing: boolean) => void = () => {};
  private playing = false;
  /** Where playing has got to, in events, with the fraction not yet shown. */
  private playhead = 0;
  private lastFrame = 0;

  constructor(
    private readonly shownEvent: () => number,
    private readonly busy: () => boolean,
    private readonly seek: (event: number) => void,
    private readonly length: number,
  ) {
    // About twenty seconds for the whole trace, at one of the speeds offered.
    this.speed = PLAY_SPEEDS.find((rate) => rate * 20 >= length) ?? PLAY_SPEEDS[PLAY_SPEEDS.length - 1];
  }

  toggle(): void {
    if (this.playing) {
      this.playing = false;
    } else {
      this.playing = true;
      this.playhead = this.shownEvent() >= this.length ? 0 : this.shownEvent();
      if (this.playhead === 0) this.seek(0);
      this.lastFrame = performance.now();
      requestAnimationFrame((now) => this.frame(now));
    }
    this.onChange(this.playing);
  }

  private frame(now: number): void {
    if (!this.playing) return;
    this.playhead = Math.min(this.length, this.playhead + (this.speed * (now - this.lastFrame)) / 1000);
    this.lastFrame = now;
    if (!this.busy()) this.seek(Math.floor(this.playhead));
    if (this.playhead >= this.length && this.shownEvent() >= this.length) {
      this.playing = false;
      this.onChange(false);
      return;
    }
    requestAnimationFrame((next) => this.frame(next));
  }
}
