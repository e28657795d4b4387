// charts.mjs: the entry esbuild bundles into ui/static/vendor/charts/chart.js,
// only the Chart.js parts the monitoring's bar and line charts use.
import {
  Chart, BarController, LineController, BarElement, LineElement, PointElement,
  CategoryScale, LinearScale, Legend, Tooltip,
} from 'chart.js';

Chart.register(BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export { Chart };
