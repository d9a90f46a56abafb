/** /activity — "for you": what others did in every workspace you belong to. */
import { requireUser } from "~/server/auth/session";
import { ActivityFeed } from "../_components/activity-feed";
import { serverApi } from "../_trpc/server";

export const metadata = { title: "Activity for you · Circuitboard" };

export default async function ForYouPage() {
  await requireUser("/activity");
  const { items } = await (await serverApi()).activity.forYou({});
  return (
    <>
      <h1>For you</h1>
      <p className="muted">What others did in your workspaces: graphs, comments, resolves.</p>
      <ActivityFeed items={items} isShowingWorkspace />
    </>
  );
}
