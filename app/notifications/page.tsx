/** /notifications — mentions, replies and resolves, newest first, each a link to the thread in its graph. */
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../_trpc/server";
import { NotificationList } from "./notification-list";
import { NotificationSettings } from "./notification-settings";

export const metadata = { title: "Notifications · Circuitboard" };

export default async function NotificationsPage() {
  const user = await requireUser("/notifications");
  const api = await serverApi();
  const [items, preferences] = await Promise.all([api.notification.list({}), api.notification.preferences()]);
  return (
    <>
      <h1>Notifications</h1>
      <NotificationList userId={user.id} initial={items} />
      <h2>Settings</h2>
      <NotificationSettings initial={preferences} />
    </>
  );
}
