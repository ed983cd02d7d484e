// Loads one admin view from main and keeps its problem in plain words; reload() fetches it again.
import { useCallback, useEffect, useState } from 'react';
import { problemText } from '../../api';

export interface AdminData<T> {
  data: T | undefined;
  problem: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/** `load` must be stable (a module function or useCallback), or it loads on every render. */
export function useAdminData<T>(load: () => Promise<T>): AdminData<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<string>();
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await load());
      setProblem(undefined);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && (setData(value), setProblem(undefined), setLoading(false)),
      (error: unknown) => live && (setProblem(problemText(error)), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return { data, problem, loading, reload };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatDate(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}
