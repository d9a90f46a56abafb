"use client";
import { useMutation } from "@tanstack/react-query";
import { SecretTokenList } from "../_components/secret-token-list";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

export function WorkerTokens({ tokens }: { tokens: RouterOutputs["worker"]["tokens"] }) {
  const trpc = useTRPC();
  const create = useMutation(trpc.worker.createToken.mutationOptions());
  const revoke = useMutation(trpc.worker.revokeToken.mutationOptions());
  return (
    <SecretTokenList
      rows={tokens}
      create={async (name) => (await create.mutateAsync({ name })).token}
      revoke={(tokenId) => revoke.mutateAsync({ tokenId })}
      labels={{
        form: "Create worker token",
        name: "Token name",
        nameMaxLength: 80,
        namePlaceholder: "e.g. lab-gpu-1",
        submit: "Create token",
        fresh: "The new worker token. Copy it now: it will not be shown again.",
        freshTestId: "new-worker-token",
        table: "Worker tokens",
        secretColumn: "Token",
        revoke: (row) => `Revoke ${row.name}`,
      }}
    />
  );
}
