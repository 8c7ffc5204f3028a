// Allure Report 3 (npm package `allure`, pinned in package-lock.json) for the BDD run's
// results: scripts/allure-report.sh writes reports/allure/index.html, one self-contained
// file that opens from the disk without a server. The Allure 2 style report: its page
// loads nothing from the network once ALLURE_NO_ANALYTICS=true (the script sets it); the
// newer "awesome" report always adds an analytics script from the internet.
import { defineConfig } from "allure";

export default defineConfig({
  name: "szca-unlock · BDD (网厅解锁)",
  output: "./reports/allure",
  plugins: {
    allure2: {
      options: {
        singleFile: true,
        reportLanguage: "en",
      },
    },
  },
});
