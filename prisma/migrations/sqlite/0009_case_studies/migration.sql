-- CreateTable
CREATE TABLE "CaseStudy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "coverStepId" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'workspace',
    "isDraftDirty" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CaseStudy_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CaseStudy_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseStudyStep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseStudyId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "prose" TEXT NOT NULL DEFAULT '',
    "graphId" TEXT,
    "view" TEXT NOT NULL DEFAULT '{}',
    "preview" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseStudyStep_caseStudyId_fkey" FOREIGN KEY ("caseStudyId") REFERENCES "CaseStudy" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseStudyVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseStudyId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "visibility" TEXT NOT NULL,
    "steps" TEXT NOT NULL,
    "graphIds" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "coverImage" TEXT NOT NULL DEFAULT '',
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" TEXT NOT NULL,
    CONSTRAINT "CaseStudyVersion_caseStudyId_fkey" FOREIGN KEY ("caseStudyId") REFERENCES "CaseStudy" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CaseStudyVersion_publishedById_fkey" FOREIGN KEY ("publishedById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CaseStudy_slug_key" ON "CaseStudy"("slug");

-- CreateIndex
CREATE INDEX "CaseStudy_workspaceId_updatedAt_idx" ON "CaseStudy"("workspaceId", "updatedAt");

-- CreateIndex
CREATE INDEX "CaseStudyStep_caseStudyId_position_idx" ON "CaseStudyStep"("caseStudyId", "position");

-- CreateIndex
CREATE INDEX "CaseStudyVersion_visibility_publishedAt_idx" ON "CaseStudyVersion"("visibility", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CaseStudyVersion_caseStudyId_number_key" ON "CaseStudyVersion"("caseStudyId", "number");

