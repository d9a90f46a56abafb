/** Who performs an action: a signed-in user, as the authorization policy sees them (services take one). */
export interface Actor {
  id: string;
}
