from . import test_net_revenue
