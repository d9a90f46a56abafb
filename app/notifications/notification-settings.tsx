"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

type TPreferences = RouterOutputs["notification"]["preferences"];

export function NotificationSettings({ initial }: { initial: TPreferences }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const prefs = useQuery({ ...trpc.notification.preferences.queryOptions(), initialData: initial });
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.notification.preferences.queryKey() });
  const update = useMutation(trpc.notification.updatePreferences.mutationOptions({ onSuccess }));
  const mute = useMutation(trpc.notification.muteGraph.mutationOptions({ onSuccess }));
  const p = prefs.data;
  return (
    <form aria-label="Notification settings" onSubmit={(e) => e.preventDefault()}>
      <label style={{ display: "block" }}>
        <input
          type="checkbox"
          checked={p.emailMentions}
          onChange={(e) => update.mutate({ emailMentions: e.target.checked })}
        />{" "}
        Email me when someone mentions me
      </label>
      <label style={{ display: "block" }}>
        <input
          type="checkbox"
          checked={p.emailReplies}
          onChange={(e) => update.mutate({ emailReplies: e.target.checked })}
        />{" "}
        Email me about replies in threads I wrote in
      </label>
      <h3>Muted graphs</h3>
      {p.mutedGraphs.length === 0 ? (
        <p className="muted">None. Mute a graph from its comments panel to stop its notifications.</p>
      ) : (
        <ul>
          {p.mutedGraphs.map((g) => (
            <li key={g.id}>
              <Link href={`/g/${g.id}`}>{g.title}</Link>{" "}
              <button type="button" onClick={() => mute.mutate({ graphId: g.id, isMuted: false })}>
                Unmute
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
