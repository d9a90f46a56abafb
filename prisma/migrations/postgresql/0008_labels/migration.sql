-- AlterTable
ALTER TABLE "Graph" ADD COLUMN     "occurrencesIndexedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "FeatureOccurrence" (
    "id" SERIAL NOT NULL,
    "graphId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "transcoderSetId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "ctxIdx" INTEGER NOT NULL,
    "activation" DOUBLE PRECISION,
    "influence" DOUBLE PRECISION,

    CONSTRAINT "FeatureOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Label" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "transcoderSetId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "workspaceId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'user',
    "sourceGraphId" TEXT,
    "hiddenAt" TIMESTAMP(3),
    "hiddenById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Label_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelVote" (
    "id" TEXT NOT NULL,
    "labelId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LabelVote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FeatureOccurrence_modelId_transcoderSetId_layer_index_idx" ON "FeatureOccurrence"("modelId", "transcoderSetId", "layer", "index");

-- CreateIndex
CREATE INDEX "FeatureOccurrence_graphId_idx" ON "FeatureOccurrence"("graphId");

-- CreateIndex
CREATE INDEX "Label_modelId_transcoderSetId_layer_index_idx" ON "Label"("modelId", "transcoderSetId", "layer", "index");

-- CreateIndex
CREATE INDEX "Label_workspaceId_createdAt_idx" ON "Label"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Label_authorId_idx" ON "Label"("authorId");

-- CreateIndex
CREATE INDEX "LabelVote_userId_idx" ON "LabelVote"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "LabelVote_labelId_userId_key" ON "LabelVote"("labelId", "userId");

-- AddForeignKey
ALTER TABLE "FeatureOccurrence" ADD CONSTRAINT "FeatureOccurrence_graphId_fkey" FOREIGN KEY ("graphId") REFERENCES "Graph"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Label" ADD CONSTRAINT "Label_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Label" ADD CONSTRAINT "Label_hiddenById_fkey" FOREIGN KEY ("hiddenById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Label" ADD CONSTRAINT "Label_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Label" ADD CONSTRAINT "Label_sourceGraphId_fkey" FOREIGN KEY ("sourceGraphId") REFERENCES "Graph"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelVote" ADD CONSTRAINT "LabelVote_labelId_fkey" FOREIGN KEY ("labelId") REFERENCES "Label"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelVote" ADD CONSTRAINT "LabelVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

