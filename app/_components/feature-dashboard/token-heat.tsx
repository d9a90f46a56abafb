/**
 * One example's context with each token shaded by this feature's activation there (relative to the
 * feature's maximum), the example's own token outlined; hovering a token shows its activation.
 */
import type { DashboardExample } from "./dashboard-record";
import styles from "./feature-dashboard.module.css";

/** Shows spaces and newlines, which carry meaning in a token, visibly. */
function visible(token: string): string {
  return token.replace(/\n/g, "⏎");
}

export function TokenHeat({ example, maxAct }: { example: DashboardExample; maxAct: number }) {
  const scale = maxAct > 0 ? maxAct : 1;
  return (
    <p className={styles.context} data-testid="dashboard-example">
      {example.tokens.map((token, i) => {
        const act = example.tokens_acts_list[i] ?? 0;
        const strength = Math.max(0, Math.min(1, act / scale));
        return (
          <span
            key={i}
            className={i === example.train_token_ind ? `${styles.token} ${styles.chosen}` : styles.token}
            style={
              strength > 0 ? { background: `rgba(234, 88, 12, ${(0.12 + 0.78 * strength).toFixed(3)})` } : undefined
            }
            title={`${JSON.stringify(token)}: ${act}`}
            data-act={act > 0 ? act : undefined}
          >
            {visible(token)}
          </span>
        );
      })}
    </p>
  );
}
