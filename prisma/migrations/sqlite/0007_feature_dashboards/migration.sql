-- CreateTable
CREATE TABLE "FeatureDashboardSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "transcoderSetId" TEXT NOT NULL,
    "corpus" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'computed',
    "jobId" TEXT,
    "indexKey" TEXT,
    "nLayers" INTEGER NOT NULL DEFAULT 0,
    "dTranscoder" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ImportedFeatureDashboard" (
    "setId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "feature" INTEGER NOT NULL,
    "blobKey" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("setId", "layer", "feature"),
    CONSTRAINT "ImportedFeatureDashboard_setId_fkey" FOREIGN KEY ("setId") REFERENCES "FeatureDashboardSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "FeatureDashboardSet_jobId_key" ON "FeatureDashboardSet"("jobId");

-- CreateIndex
CREATE INDEX "FeatureDashboardSet_modelId_transcoderSetId_createdAt_idx" ON "FeatureDashboardSet"("modelId", "transcoderSetId", "createdAt");

