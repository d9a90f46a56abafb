/** The fixed set of reactions a comment can get (a short list, as GitHub's). */
export const REACTIONS = ["👍", "👎", "🎉", "❤️", "👀", "🤔"] as const;
export type Reaction = (typeof REACTIONS)[number];
