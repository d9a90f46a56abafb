"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useAction } from "../../_components/use-action";
import { useTRPC } from "../../_trpc/react";

export function AcceptInvitation({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const { run, error, isPending } = useAction();
  return (
    <>
      <button
        type="button"
        disabled={isPending}
        onClick={() =>
          void run(
            () => accept.mutateAsync({ token }),
            (r) => router.push(`/w/${r.slug}`),
          )
        }
      >
        Accept invitation
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
