/** A map from event name to the listener signature of that event. */
export type EventMap = {
    [event: string]: (...args: any[]) => void;
};
/**
 * A tiny typed event emitter. A listener that throws does not stop the others;
 * the exception is reported through `console.error`.
 */
export declare class Emitter<E extends EventMap> {
    private readonly listeners;
    /** Adds `handler` for `event`. */
    on<K extends keyof E>(event: K, handler: E[K]): this;
    /** Removes `handler` from `event`; without `handler`, removes every listener of `event`. */
    off<K extends keyof E>(event: K, handler?: E[K]): this;
    /** Calls every listener of `event` with `args`, in registration order. */
    protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void;
    /** Removes all listeners of all events. */
    protected removeAllListeners(): void;
}
