-- AlterTable
ALTER TABLE "Graph" ADD COLUMN "occurrencesIndexedAt" DATETIME;

-- CreateTable
CREATE TABLE "FeatureOccurrence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "graphId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "transcoderSetId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "ctxIdx" INTEGER NOT NULL,
    "activation" REAL,
    "influence" REAL,
    CONSTRAINT "FeatureOccurrence_graphId_fkey" FOREIGN KEY ("graphId") REFERENCES "Graph" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Label" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "transcoderSetId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "workspaceId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'user',
    "sourceGraphId" TEXT,
    "hiddenAt" DATETIME,
    "hiddenById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Label_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Label_hiddenById_fkey" FOREIGN KEY ("hiddenById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Label_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Label_sourceGraphId_fkey" FOREIGN KEY ("sourceGraphId") REFERENCES "Graph" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LabelVote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "labelId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "LabelVote_labelId_fkey" FOREIGN KEY ("labelId") REFERENCES "Label" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LabelVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

