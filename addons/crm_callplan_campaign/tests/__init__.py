from . import test_campaign
from . import test_campaign_results
from . import test_campaign_attacks
