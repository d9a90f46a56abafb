-- CreateTable
CREATE TABLE "FeatureDashboardSet" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "transcoderSetId" TEXT NOT NULL,
    "corpus" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'computed',
    "jobId" TEXT,
    "indexKey" TEXT,
    "nLayers" INTEGER NOT NULL DEFAULT 0,
    "dTranscoder" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeatureDashboardSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportedFeatureDashboard" (
    "setId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "feature" INTEGER NOT NULL,
    "blobKey" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportedFeatureDashboard_pkey" PRIMARY KEY ("setId","layer","feature")
);

-- CreateIndex
CREATE UNIQUE INDEX "FeatureDashboardSet_jobId_key" ON "FeatureDashboardSet"("jobId");

-- CreateIndex
CREATE INDEX "FeatureDashboardSet_modelId_transcoderSetId_createdAt_idx" ON "FeatureDashboardSet"("modelId", "transcoderSetId", "createdAt");

-- AddForeignKey
ALTER TABLE "ImportedFeatureDashboard" ADD CONSTRAINT "ImportedFeatureDashboard_setId_fkey" FOREIGN KEY ("setId") REFERENCES "FeatureDashboardSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

