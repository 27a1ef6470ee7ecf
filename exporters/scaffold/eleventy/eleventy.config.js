// The Eleventy scaffold written by mtport: the posts and what lists them
// (by term, by year and month), the post layout for every post and page,
// the stylesheet, and Markdown read as mtport's proof reads it. Site data
// (title, language, URL, section, feed id) is in _data/site.json, the
// terms' pages in _data/mt_terms.json.
const site = require("./_data/site.json");

const MONTHS = ["January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December"];

module.exports = function (eleventyConfig) {
  eleventyConfig.addGlobalData("layout", "post.liquid");
  eleventyConfig.addPassthroughCopy("css");
  // dates show in the offset they were written in
  eleventyConfig.setLiquidOptions({ preserveTimezones: true });
  // the author's text exactly: no smart quotes, no links made from text
  eleventyConfig.amendLibrary("md", (md) =>
    md.set({ typographer: false, linkify: false }));
  eleventyConfig.addFilter("rfc3339", (d) => new Date(d).toISOString());
  eleventyConfig.addFilter("keys", (o) => Object.keys(o || {}));
  // an untitled post's label: the first words of its body, else its date
  eleventyConfig.addFilter("label", (title, label) =>
    typeof title === "string" && title.trim() ? title : label || "");

  // Posts live in the section's folder; pages at the root.
  const prefix = "/" + site.section + "/";
  const posts = (api) => api.getAll()
    .filter((item) => typeof item.url === "string" &&
      item.url.startsWith(prefix))
    .sort((a, b) => a.date - b.date);
  eleventyConfig.addCollection("mt_posts", posts);
  eleventyConfig.addCollection("mt_newest", (api) => posts(api).reverse());
  eleventyConfig.addCollection("mt_pages", (api) => api.getAll()
    .filter((item) => item.data.slug && typeof item.url === "string" &&
      !item.url.startsWith(prefix)));
  // the posts of each category and tag, newest first
  eleventyConfig.addCollection("mt_terms", (api) => {
    const out = { categories: {}, tags: {} };
    for (const p of posts(api).reverse())
      for (const tax of ["categories", "tags"])
        for (const name of p.data[tax] || [])
          (out[tax][name] = out[tax][name] || []).push(p);
    return out;
  });
  // the posts of each year and month ("2009", "2009-12"), newest first
  eleventyConfig.addCollection("mt_archives", (api) => {
    const out = {};
    for (const p of posts(api).reverse())
      for (const key of p.data.mt_archives || [])
        (out[key] = out[key] || []).push(p);
    return out;
  });
  // years, newest first, each with its months
  eleventyConfig.addCollection("mt_years", (api) => {
    const years = new Map();
    for (const p of posts(api).reverse()) {
      const [y, m] = p.data.mt_archives || [];
      if (!y) continue;
      if (!years.has(y))
        years.set(y, { key: y, url: "/" + y + "/", count: 0, months: new Map() });
      const year = years.get(y);
      year.count++;
      if (!year.months.has(m))
        year.months.set(m, { key: m, url: "/" + m.replace("-", "/") + "/",
          name: MONTHS[+m.slice(5) - 1], count: 0 });
      year.months.get(m).count++;
    }
    return [...years.values()].map((y) => ({ ...y, months: [...y.months.values()] }));
  });
  eleventyConfig.addFilter("month_name", (key) => key && key.length === 7
    ? MONTHS[+key.slice(5) - 1] + " " + key.slice(0, 4) : key);
  // Images and files mtport copied from the old blog keep their old paths;
  // Eleventy copies a file only when told to: every stored path that
  // mtport-assets.tsv lists (its fourth column).
  const fs = require("fs");
  if (fs.existsSync("mtport-assets.tsv")) {
    const rows = fs.readFileSync("mtport-assets.tsv", "utf8").split("\n");
    const unescape = (f) => f.replace(/\\(.)/g, (m, c) =>
      c === "t" ? "\t" : c === "n" ? "\n" : c);
    const stored = new Set(rows.slice(1)
      .map((r) => unescape(r.split("\t")[3] || ""))
      .filter((p) => p && fs.existsSync(p)));
    for (const p of stored) eleventyConfig.addPassthroughCopy(p);
  }
  return {
    pathPrefix: site.basePath,
    dir: { input: ".", includes: "_includes", data: "_data", output: "_site" },
  };
};
