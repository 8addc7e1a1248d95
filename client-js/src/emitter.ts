/** A map from event name to the listener signature of that event. */
export type EventMap = { [event: string]: (...args: any[]) => void };

/**
 * A tiny typed event emitter. A listener that throws does not stop the others;
 * the exception is reported through `console.error`.
 */
export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Array<E[keyof E]>>();

  /** Adds `handler` for `event`. */
  on<K extends keyof E>(event: K, handler: E[K]): this {
    const list = this.listeners.get(event) ?? [];
    list.push(handler);
    this.listeners.set(event, list);
    return this;
  }

  /** Removes `handler` from `event`; without `handler`, removes every listener of `event`. */
  off<K extends keyof E>(event: K, handler?: E[K]): this {
    const list = this.listeners.get(event);
    if (!list) return this;
    if (handler === undefined) {
      this.listeners.delete(event);
      return this;
    }
    const i = list.indexOf(handler);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(event);
    return this;
  }

  /** Calls every listener of `event` with `args`, in registration order. */
  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const list = this.listeners.get(event);
    if (!list) return;
    for (const handler of [...list]) {
      try {
        handler(...args);
      } catch (e) {
        console.error(`HlsCdnPlayer: '${String(event)}' listener threw`, e);
      }
    }
  }

  /** Removes all listeners of all events. */
  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
