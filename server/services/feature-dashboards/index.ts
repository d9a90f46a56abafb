/** Feature dashboards in the app: computed by `dashboards` jobs or imported, served one feature at a time. */
export { enqueueDashboardsJob, dashboardsJobId, type EnqueueDashboardsOutcome } from "./enqueue-dashboards-job";
export { findDashboardSet, readFeatureDashboard, type FeatureRef } from "./read-feature-dashboard";
export {
  importNeuronpediaDashboards,
  ZImportDashboardsInputSchema,
  ZNeuronpediaFeatureDetailsSchema,
} from "./import-neuronpedia-dashboards";
