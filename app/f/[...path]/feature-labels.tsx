"use client";
// The feature page's labels: every label the reader may see (hidden ones marked: the history), votes, and a
// proposal into the scope they pick (a workspace of theirs, or public).
import { useState } from "react";
import { LabelList, type TFeatureRef } from "~/app/_components/labels/label-list";

export function FeatureLabels({
  feature,
  workspaces,
}: {
  feature: TFeatureRef;
  workspaces: { slug: string; name: string }[];
}) {
  const [scope, setScope] = useState<string>("");
  return (
    <div>
      <label style={{ display: "block", marginBottom: ".4rem", fontSize: ".9rem" }}>
        New labels go to{" "}
        <select value={scope} onChange={(e) => setScope(e.target.value)} data-testid="label-scope">
          <option value="">Public (every signed-in user)</option>
          {workspaces.map((w) => (
            <option key={w.slug} value={w.slug}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <LabelList feature={feature} slug={scope === "" ? null : scope} isShowingHistory />
    </div>
  );
}
