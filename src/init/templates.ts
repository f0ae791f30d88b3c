import { VERSION } from "../version.js";

/** The files `newsark init` writes into a new archive. */

/** The outlets of the system newsark replaces, with their full-text feeds. */
export const DEFAULT_CONFIG = `# newsark archive configuration. Docs: https://github.com/newsark/newsark#configuration-newsarkyaml
# Dates in lists are shown in this time zone.
timezone: Asia/Shanghai
# Entries in lists/<name>.md before older ones page into lists/<name>/2.md, 3.md, …
listSize: 300

fetch:
  timeout: { connect: 10s, headers: 20s, body: 60s }
  maxBytes: 20MB
  retries: 2
  concurrency: 8
  perHost: 2

images:
  maxPerRun: 500
  maxBytes: 10MB

# Networks that links and images found inside feeds may reach besides the public internet
# (private and loopback addresses are refused unless listed here).
allowNetworks: []

# Where images are stored: in this repository's images/ (the default), or in any S3-compatible bucket,
# which keeps the repository small (see the README of newsark). Credentials come from the environment
# (NEWSARK_S3_ACCESS_KEY_ID, NEWSARK_S3_SECRET_ACCESS_KEY; in the workflow: repository secrets), never
# from this file.
# media: { store: s3, endpoint: "https://s3.example.com", bucket: news-images, prefix: images/, publicUrl: "https://images.example.com/images/" }
# Where 'newsark publish' uploads the static site (the workflow's bucket job):
# publish: { store: s3, endpoint: "https://s3.example.com", bucket: news-site }

sources:
  - { id: voa, name: 美国之音, url: "https://feedx.net/rss/mgzy1.xml", images: archive }
  - { id: bbc, name: BBC, url: "https://feedx.net/rss/bbc.xml", images: archive }
  - { id: dw, name: 德国之声, url: "https://feedx.net/rss/dw.xml", images: archive }
  - { id: rfi, name: 法广, url: "https://feedx.net/rss/rfi.xml", images: archive }
  - { id: nyt, name: 纽约时报, url: "https://feedx.net/rss/nytimes.xml", images: archive }
  - { id: reuters, name: 路透, url: "https://feedx.net/rss/reuters.xml", images: archive }
  - { id: ft, name: 金融时报, url: "https://feedx.net/rss/ft.xml", images: archive }
  - { id: rfa, name: 自由亚洲电台, url: "https://www.rfa.org/mandarin/yataibaodao/rss2.xml", images: archive }
  - id: cdt
    name: 中国数字时代
    url: "https://chinadigitaltimes.net/chinese/feed/"
    images: archive
    fulltext: { selector: "div.post-content" }
`;

/**
 * Hourly archiving on GitHub Actions. Scheduled workflows pause after 60 days without repository
 * activity; the last step re-enables this workflow through the API, which restarts that clock.
 */
export const WORKFLOW = `name: newsark

env:
  # The newsark package this archive runs: a release line from the npm registry, or any npm package
  # spec, e.g. "github:OWNER/newsark" for a fork. Raise the version to upgrade.
  NEWSARK_PACKAGE: "newsark@${VERSION.split(".").slice(0, 2).join(".")}"

on:
  schedule:
    - cron: "17 * * * *"
  workflow_dispatch:

permissions:
  contents: write
  actions: write

concurrency:
  group: newsark
  cancel-in-progress: false

jobs:
  archive:
    runs-on: ubuntu-latest
    timeout-minutes: 50
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-node@v6
        with:
          node-version: 24
      - name: Check a slice of archived articles for deletions and edits
        continue-on-error: true
        run: npx --yes --package "$NEWSARK_PACKAGE" newsark check --since 30d --limit 200
      - name: Archive the feeds and commit
        env:
          # Used only when newsark.yaml has media: { store: s3, … }: repository secrets, never files.
          NEWSARK_S3_ACCESS_KEY_ID: \${{ secrets.NEWSARK_S3_ACCESS_KEY_ID }}
          NEWSARK_S3_SECRET_ACCESS_KEY: \${{ secrets.NEWSARK_S3_SECRET_ACCESS_KEY }}
        run: |
          git config user.name "newsark"
          git config user.email "newsark@users.noreply.github.com"
          npx --yes --package "$NEWSARK_PACKAGE" newsark run --commit --push
      - name: Keep the schedule alive
        env:
          GH_TOKEN: \${{ github.token }}
        run: gh api -X PUT "repos/\${{ github.repository }}/actions/workflows/newsark.yml/enable"

  # The static site on GitHub Pages: set the repository variable NEWSARK_PAGES to true and choose
  # "GitHub Actions" as the Pages source in the repository settings.
  site:
    needs: archive
    if: vars.NEWSARK_PAGES == 'true'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: actions/checkout@v6
        with:
          ref: \${{ github.ref_name }}
      - uses: actions/setup-node@v6
        with:
          node-version: 24
      # The previous build (its pages and manifest), so this build reads and writes only what changed.
      - uses: actions/cache@v5
        with:
          path: site
          key: newsark-pages-\${{ github.run_id }}
          restore-keys: newsark-pages-
      - run: npx --yes --package "$NEWSARK_PACKAGE" newsark build --out site
        env:
          NEWSARK_S3_ACCESS_KEY_ID: \${{ secrets.NEWSARK_S3_ACCESS_KEY_ID }}
          NEWSARK_S3_SECRET_ACCESS_KEY: \${{ secrets.NEWSARK_S3_SECRET_ACCESS_KEY }}
      - uses: actions/configure-pages@v5
      - uses: actions/upload-pages-artifact@v4
        with:
          path: site
      - id: deployment
        uses: actions/deploy-pages@v4

  # The static site in a bucket instead (any S3-compatible store, e.g. behind a CDN): set the repository
  # variable NEWSARK_PUBLISH to s3, add publish: { store: s3, … } to newsark.yaml and the secrets
  # NEWSARK_S3_ACCESS_KEY_ID and NEWSARK_S3_SECRET_ACCESS_KEY. Only changed files are uploaded.
  bucket:
    needs: archive
    if: vars.NEWSARK_PUBLISH == 's3'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v6
        with:
          ref: \${{ github.ref_name }}
      - uses: actions/setup-node@v6
        with:
          node-version: 24
      # The previous build (its pages and manifest), so this build reads and writes only what changed.
      - uses: actions/cache@v5
        with:
          path: site
          key: newsark-bucket-\${{ github.run_id }}
          restore-keys: newsark-bucket-
      - run: npx --yes --package "$NEWSARK_PACKAGE" newsark build --out site
      - run: npx --yes --package "$NEWSARK_PACKAGE" newsark publish --site site
        env:
          NEWSARK_S3_ACCESS_KEY_ID: \${{ secrets.NEWSARK_S3_ACCESS_KEY_ID }}
          NEWSARK_S3_SECRET_ACCESS_KEY: \${{ secrets.NEWSARK_S3_SECRET_ACCESS_KEY }}
`;

/** The archive's own front page, for readers who reach it on GitHub or as a clone. */
export const READER_README = `# 新闻存档 · News archive

This repository keeps articles from Chinese-language news outlets, archived every hour by
[newsark](https://github.com/newsark/newsark). Nothing is taken back: edits and deletions are recorded.

- \`lists/\` — one index page per outlet, newest first (\`lists/美国之音.md\`, …).
- \`articles/<outlet>/<n>.md\` — one article per file: the publication time, the title and link to
  the original, then the text as HTML. Lower numbers are newer.
- \`versions/\` — earlier versions of articles that were edited after they were archived.
- \`images/\` — copies of the articles' images, and \`images/records/\`: for each original address,
  when it was fetched, its sha256, size and type, and where the copy is (here, or in the archive's
  media store).

Read offline: \`git clone\` this repository, then \`npx newsark build\` and open \`site/index.html\`,
or \`npx newsark serve\`. Search: \`npx newsark search 关键词\`.

本仓库每小时自动存档中文新闻，文章被修改或删除也会留下记录。
`;

export const ARCHIVE_GITIGNORE = `# Local caches newsark rebuilds from the files (search catalog, lock).
.newsark/
# The static site; build it with \`newsark build\`.
site/
# Temp files of an interrupted write; the next run removes them.
*.tmp
`;
