import { useEffect, useReducer } from 'preact/hooks';

/** A value components can watch: tiny on purpose (the whole app has three of them). */
export interface Signal<T> {
  value: T;
  subscribe(fn: () => void): () => void;
}

export function signal<T>(initial: T): Signal<T> {
  let v = initial;
  const subs = new Set<() => void>();
  return {
    get value() {
      return v;
    },
    set value(n: T) {
      if (n !== v) {
        v = n;
        subs.forEach((f) => f());
      }
    },
    subscribe(fn) {
      subs.add(fn);
      return () => {
        subs.delete(fn);
      };
    },
  };
}

export function useSignal<T>(s: Signal<T>): T {
  const [, force] = useReducer((x: number, _: void) => x + 1, 0);
  useEffect(() => s.subscribe(force), [s]);
  return s.value;
}
