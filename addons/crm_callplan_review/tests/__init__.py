from . import test_dashboard_launcher
