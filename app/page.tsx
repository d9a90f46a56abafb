import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth/session";

export default async function Home() {
  if (await getSessionUser()) redirect("/workspaces");
  return (
    <>
      <h1>Circuitboard</h1>
      <p>
        Trace how a language model computes its answer, together. Generate or import attribution graphs, explore them,
        comment on nodes, label features with your team and publish case studies.
      </p>
      <p>
        <Link href="/signup">Create an account</Link> or <Link href="/signin">sign in</Link>.
      </p>
    </>
  );
}
