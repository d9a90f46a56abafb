/** Where a dashboard set's blobs live: everything of one version under dashboards/<setId>/. */
export const dashboardPartKey = (setId: string, name: string) => `dashboards/${setId}/${name}`;
export const dashboardIndexKey = (setId: string) => `dashboards/${setId}/index.json`;
export const importedFeatureKey = (setId: string, layer: number, feature: number) =>
  `dashboards/${setId}/imported/${layer}_${feature}.bin`;
