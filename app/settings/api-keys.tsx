"use client";
import { useMutation } from "@tanstack/react-query";
import { SecretTokenList } from "../_components/secret-token-list";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

export function ApiKeys({ keys }: { keys: RouterOutputs["apiKey"]["list"] }) {
  const trpc = useTRPC();
  const create = useMutation(trpc.apiKey.create.mutationOptions());
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions());
  return (
    <SecretTokenList
      rows={keys}
      create={async (name) => (await create.mutateAsync({ name })).key}
      revoke={(keyId) => revoke.mutateAsync({ keyId })}
      labels={{
        form: "Create API key",
        name: "Key name",
        nameMaxLength: 60,
        namePlaceholder: "e.g. laptop script",
        submit: "Create key",
        fresh: "Your new key. Copy it now: it will not be shown again.",
        freshTestId: "new-api-key",
        table: "API keys",
        secretColumn: "Key",
        revoke: () => "Revoke",
        empty: "No keys yet.",
      }}
    />
  );
}
