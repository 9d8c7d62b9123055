/**
 * One small typed emitter for the whole core (docs/architecture.md, "Kernel"): a listener that throws is
 * reported and never stops the others, nor the code that emitted.
 */
export interface Emitter<T> {
  emit(value: T): void;
  on(listener: (value: T) => void): () => void;
  clear(): void;
  readonly size: number;
}

export const createEmitter = <T>(onListenerError: (error: unknown) => void = () => undefined): Emitter<T> => {
  const listeners = new Set<(value: T) => void>();
  return {
    emit(value) {
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
    get size() {
      return listeners.size;
    },
  };
};
