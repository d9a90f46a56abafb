"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * Runs a mutation from a form or button, keeps its error message for display, and re-renders the
 * server components of the page when it succeeds (their data comes from the server, not a client cache).
 */
export function useAction() {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [isPending, setPending] = useState(false);
  async function run<T>(fn: () => Promise<T>, then?: (result: T) => void): Promise<void> {
    setPending(true);
    setError(undefined);
    try {
      const result = await fn();
      if (then) then(result);
      else router.refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  }
  return { run, error, isPending };
}
