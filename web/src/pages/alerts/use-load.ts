import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError | Error;
  reload: () => void;
  setData: (update: (previous: T | undefined) => T | undefined) => void;
}

/** GETs `path` (again whenever it changes or `reload` is called). */
export function useLoad<T>(path: string | null): Loaded<T> {
  const [data, setDataState] = useState<T>();
  const [error, setError] = useState<ApiError | Error>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    api<T>('GET', path).then(
      (value) => {
        if (!current) return;
        setDataState(value);
        setError(undefined);
      },
      (failure: Error) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const setData = useCallback((update: (previous: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, reload, setData };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
